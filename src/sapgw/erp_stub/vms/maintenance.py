"""SM30-like maintenance of VMS customizing: CVLC01-CRMREL and VLC_BADI (registered in the
LUW, written at commit)."""

from __future__ import annotations

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.vms.customizing import CRM_INTEGRATOR, action
from sapgw.erp_stub.vms.tables import CVLC01, VLC_BADI


def set_crm_relevant(ctx: CallContext, aktion: str, relevant: bool) -> None:
    """Set or clear the "CRM Rel." indicator of an action (ValueError: not defined)."""
    if action(ctx, aktion) is None:
        raise ValueError(f"action {aktion} is not defined (CVLC01)")
    ctx.update(CVLC01, {"AKTION": aktion}, {"CRMREL": "X" if relevant else ""})


def set_crm_integrator(ctx: CallContext, path: str) -> None:
    """Activate an implementation of VLC_CRM_INTEGRATOR ("package.module:Class"); "" to
    deactivate it."""
    if ctx.buffered(VLC_BADI).get(CRM_INTEGRATOR) is None:
        ctx.insert(VLC_BADI, {"EXIT_NAME": CRM_INTEGRATOR, "CALLABLE": path})
    else:
        ctx.update(VLC_BADI, {"EXIT_NAME": CRM_INTEGRATOR}, {"CALLABLE": path})
