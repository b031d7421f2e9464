"""The CDB's data handlers by BDoc type: what the flow saves in CRM before it replicates.

In CRM the flow's "data handler" step writes an mBDoc's data into the CDB. The flow engine
calls the handler of a validated BDoc's type in the flow's transaction, after the mapping to
every receiver succeeded (so a BDoc ending E08 writes nothing here), inside a savepoint: a
handler that refuses the data (KeyError, ValueError) ends the BDoc E04 and leaves nothing in
the CDB. A type without a handler is not kept in the CDB. The answer is the line for the
BDoc's log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from sapgw.gateway.cdb import iobjects, partners
from sapgw.gateway.cdb.partners import Saved

Handler = Callable[[Connection, str, str, datetime, dict[str, Any]], Saved]


def _partner(conn: Connection, bdoc_id: str, bdoc_type: str, created_at: datetime,
             data: dict[str, Any]) -> Saved:
    return partners.save_partner(conn, bdoc_type, data, bdoc_id=bdoc_id, created_at=created_at)


def _vehicle(conn: Connection, bdoc_id: str, bdoc_type: str, created_at: datetime,
             data: dict[str, Any]) -> Saved:
    text = iobjects.save_vehicle(conn, bdoc_id, data, created_at)
    return Saved(data["HEADER"]["VGUID"], True, text)


HANDLERS: dict[str, Handler] = {
    "BUPA_MAIN": _partner,
    "VEND_MAIN": _partner,
    "CRM_VEHICLE": _vehicle,
}


def handler(bdoc_type: str) -> Handler | None:
    """The type's data handler; None when the type is not kept in the CDB."""
    return HANDLERS.get(bdoc_type)
