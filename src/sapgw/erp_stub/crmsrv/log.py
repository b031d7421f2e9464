"""CRMSRV_DOCS: which CRM service documents the ERP has taken over, and what they got.

A document sent again (a changed order released once more, a BDoc reprocessed by hand after
its first LUW did post) is answered from here and posts nothing twice.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, select

from sapgw.erp_stub.crmsrv.tables import CRMSRV_DOCS
from sapgw.erp_stub.kernel.context import CallContext

_TABLE = CRMSRV_DOCS.__table__  # type: ignore[attr-defined]


def document(ctx: CallContext, object_id: str) -> Row[Any] | None:
    """The committed record of a transaction number (leading zeros optional), or None."""
    key = object_id.strip().zfill(10) if object_id.strip().isdigit() else object_id.strip()
    with ctx.read() as conn:
        return conn.execute(select(_TABLE).where(_TABLE.c.OBJECT_ID == key)).first()


def register(ctx: CallContext, header: dict[str, Any], object_no: str, vbeln: str, bukrs: str,
             kokrs: str) -> None:
    """Record a document in the caller's LUW."""
    object_id = header["OBJECT_ID"].strip()
    ctx.insert(CRMSRV_DOCS, {
        "OBJECT_ID": object_id.zfill(10) if object_id.isdigit() else object_id,
        "PROCESS_TYPE": header["PROCESS_TYPE"], "OBJECT_NO": object_no, "VBELN": vbeln,
        "BUKRS": bukrs, "KOKRS": kokrs, "PREDECESSOR": header["PREDECESSOR"],
        "ERDAT": ctx.clock.today().strftime("%Y%m%d")})
