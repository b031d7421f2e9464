"""Units of measure (CUNI): T006 with its texts T006A, read through the table buffer.

A goods movement asks a unit two things: how many decimal places a quantity in it may have
(T006-ANDEC, SAP's rounding decimals) and which internal unit an ISO code stands for
(T006-ISOCODE; ENTRY_UOM_ISO of BAPI_GOODSMVT_CREATE). Several units may share an ISO code in
SAP, which then marks one as primary (T006I); we take the first unit in key order.

The data set's `[units.PC] text, decimals, iso` become one T006 row and one T006A row (E).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.tables import ErpTable, char, int4

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem

LANGUAGE = "E"


class T006(ErpTable, table=True):
    """Units of measurement."""

    __tablename__ = "T006"
    MSEHI: str = char(3, key=True)       # internal unit of measurement
    DIMID: str = char(6)                 # dimension (MASS, VOLUME, AAAADL: none)
    ANDEC: int = int4()                  # decimal places a quantity is rounded to (INT2)
    ISOCODE: str = char(3)               # ISO code of the unit


class T006A(ErpTable, table=True):
    """Unit of measurement texts."""

    __tablename__ = "T006A"
    SPRAS: str = char(1, key=True)
    MSEHI: str = char(3, key=True)
    MSEH3: str = char(3)                 # commercial (external) unit
    MSEHL: str = char(30)                # unit text


@dataclass(frozen=True)
class Unit:
    """A unit of measurement as goods movements need it."""

    msehi: str
    decimals: int
    isocode: str
    text: str = ""


def unit(ctx: CallContext, msehi: str) -> Unit | None:
    """The unit `msehi` (KG, PC …), or None when T006 does not define it."""
    row = ctx.buffered(T006).get(msehi)
    if row is None:
        return None
    text = ctx.buffered(T006A).get(LANGUAGE, msehi)
    return Unit(row.MSEHI, int(row.ANDEC), row.ISOCODE, text.MSEHL if text else "")


def unit_by_iso(ctx: CallContext, isocode: str) -> Unit | None:
    """The first unit (in key order) whose ISO code is `isocode`, or None."""
    rows = ctx.buffered(T006).where(ISOCODE=isocode)
    return unit(ctx, rows[0].MSEHI) if rows else None


def seed_units(system: ErpSystem, data: DataSet) -> None:
    """T006/T006A rows of the data set's `units` that the tables lack."""
    units: dict[str, Any] = data.table("units")
    system.seed_rows(T006, [
        {"MSEHI": msehi, "DIMID": spec.get("dimension", ""),
         "ANDEC": int(spec.get("decimals", 0)), "ISOCODE": spec.get("iso", "")}
        for msehi, spec in units.items()])
    system.seed_rows(T006A, [
        {"SPRAS": LANGUAGE, "MSEHI": msehi, "MSEH3": spec.get("commercial", msehi),
         "MSEHL": spec.get("text", "")[:30]}
        for msehi, spec in units.items()])
