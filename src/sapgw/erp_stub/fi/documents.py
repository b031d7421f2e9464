"""Reading accounting documents: what other applications call instead of reading BKPF/BSEG.

A document is its BKPF row as a dict plus its BSEG lines under the key "BSEG". Reads see
committed documents only, as SAP's do: a document posted in the caller's open LUW is not
there yet.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, select

from sapgw.erp_stub.fi.tables import BKPF, BSEG
from sapgw.erp_stub.kernel.context import CallContext

_BKPF = BKPF.__table__  # type: ignore[attr-defined]
_BSEG = BSEG.__table__  # type: ignore[attr-defined]
_LATEST = (_BKPF.c.GJAHR.desc(), _BKPF.c.CPUDT.desc(), _BKPF.c.CPUTM.desc(),
           _BKPF.c.BELNR.desc())


def document(ctx: CallContext, bukrs: str, belnr: str, gjahr: str | int
             ) -> dict[str, Any] | None:
    """FB03: the document with its lines, or None. BELNR may come without leading zeros."""
    key = belnr.zfill(10) if belnr.isdigit() else belnr
    with ctx.read() as conn:
        row = conn.execute(select(_BKPF).where(
            _BKPF.c.BUKRS == bukrs, _BKPF.c.BELNR == key,
            _BKPF.c.GJAHR == f"{int(gjahr):04d}")).mappings().first()
        return _with_lines(conn, row)


def find_by_reference(ctx: CallContext, bukrs: str, xblnr: str) -> dict[str, Any] | None:
    """The latest document of the company code with this XBLNR that has not been reversed.

    A reversal document itself counts (it is not reversed), so a sender can find both the
    posting and the reversal of its references.
    """
    with ctx.read() as conn:
        row = conn.execute(_BY_REFERENCE, {"bukrs": bukrs, "xblnr": xblnr}).mappings().first()
        return _with_lines(conn, row)


def find_by_awkey(ctx: CallContext, awtyp: str, awkey: str) -> dict[str, Any] | None:
    """The document a sender document (reference procedure AWTYP, key AWKEY) produced."""
    with ctx.read() as conn:
        row = conn.execute(select(_BKPF).where(
            _BKPF.c.AWTYP == awtyp, _BKPF.c.AWKEY == awkey)
            .order_by(*_LATEST)).mappings().first()
        return _with_lines(conn, row)


def obj_key(bkpf: dict[str, Any]) -> str:
    """The BAPI's OBJ_KEY of a document FI numbered itself: BELNR + BUKRS + GJAHR."""
    return f"{bkpf['BELNR']}{bkpf['BUKRS']}{bkpf['GJAHR']}"


_BY_REFERENCE = (select(_BKPF).where(_BKPF.c.BUKRS == bindparam("bukrs"),
                                     _BKPF.c.XBLNR == bindparam("xblnr"),
                                     _BKPF.c.XREVERSAL != "1")
                 .order_by(*_LATEST).limit(1))
_LINES = (select(_BSEG).where(_BSEG.c.BUKRS == bindparam("bukrs"),
                              _BSEG.c.BELNR == bindparam("belnr"),
                              _BSEG.c.GJAHR == bindparam("gjahr")).order_by(_BSEG.c.BUZEI))


def _with_lines(conn: Connection, row: Any) -> dict[str, Any] | None:
    if row is None:
        return None
    lines = conn.execute(_LINES, {"bukrs": row["BUKRS"], "belnr": row["BELNR"],
                                  "gjahr": row["GJAHR"]}).mappings().all()
    return {**row, "BSEG": [dict(line) for line in lines]}
