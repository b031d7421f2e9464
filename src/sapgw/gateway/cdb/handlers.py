"""The CDB's data handlers by BDoc type: what the flow saves in CRM before it replicates.

In CRM the flow's "data handler" step writes an mBDoc's data into the CDB. The flow engine
calls `save(conn, header, bdoc_type, data)` for every validated BDoc, in its own transaction,
after the mapping to every receiver succeeded (so a BDoc ending E08 writes nothing here); a
type without a handler is not kept in the CDB. The answer is the line for the BDoc's log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from sapgw.gateway.cdb import partners

Handler = Callable[..., partners.Saved]

HANDLERS: dict[str, Handler] = {
    "BUPA_MAIN": partners.save_partner,
    "VEND_MAIN": partners.save_partner,
}


def save(conn: Connection, bdoc_id: str, created_at: datetime, bdoc_type: str,
         data: dict[str, Any]) -> partners.Saved | None:
    """Run the type's data handler; None when the type is not kept in the CDB."""
    handler = HANDLERS.get(bdoc_type)
    if handler is None:
        return None
    return handler(conn, bdoc_type, data, bdoc_id=bdoc_id, created_at=created_at)
