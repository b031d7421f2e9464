"""Reading VMS customizing (buffered): actions, the action matrix, status texts and the active
implementation of BAdI VLC_CRM_INTEGRATOR.

An action may run on a vehicle when CVLC04 has an entry for the vehicle's action control,
its primary status and the action; the entry gives the new status. Creating a vehicle is an
action too, on the blank status. The action's CVLC01 entry says whether it is CRM relevant
("CRM Rel." in Define Actions): only then does VMS call VLC_CRM_INTEGRATOR and send to CRM.
"""

from __future__ import annotations

import importlib
from typing import Any

from sqlalchemy import Row

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.vms.tables import CVLC01, CVLC02, CVLC04, VLC_BADI

CRM_INTEGRATOR = "VLC_CRM_INTEGRATOR"


def action(ctx: CallContext, aktion: str) -> Row[Any] | None:
    """The action's definition (CVLC01), or None when it is not defined."""
    return ctx.buffered(CVLC01).get(aktion)


def next_status(ctx: CallContext, cntrl: str, status: str, aktion: str) -> str | None:
    """CVLC04: the status the action leaves a vehicle of this control in, or None when the
    action is not allowed in this status."""
    row = ctx.buffered(CVLC04).get(cntrl, status, aktion)
    return None if row is None else str(row.STATU_NEW)


def status_text(ctx: CallContext, status: str) -> str:
    row = ctx.buffered(CVLC02).get(status)
    return "" if row is None else str(row.TEXT)


def crm_integrator(ctx: CallContext) -> tuple[str, Any] | None:
    """The active implementation of VLC_CRM_INTEGRATOR: (its name, an instance), or None.
    Raises ValueError when the configured name cannot be loaded."""
    row = ctx.buffered(VLC_BADI).get(CRM_INTEGRATOR)
    if row is None or not row.CALLABLE:
        return None
    return str(row.CALLABLE), load_implementation(str(row.CALLABLE))


def load_implementation(path: str) -> Any:
    """"package.module:Name" -> an instance of the class Name (or the object itself when it
    is not a class); ValueError when it cannot be loaded."""
    module_name, _, name = path.partition(":")
    try:
        found = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ValueError(f"cannot load {path}: {exc}") from exc
    return found() if isinstance(found, type) else found
