"""FI-CA customizing for Convergent Invoicing and its revenue accounting integration, as
data tables (buffered), with typed readers.

- TFKRA_ACT (ours; SAP: IMG Integration > Revenue Accounting): per application area, the
  integration switch, the RFC destination of the RAR system, the RAI source component and
  the processing level of fulfilment items (1 aggregate and send in one run, 2 aggregate now
  and send in a later run).
- TFK_RA_SERVTYP (SAP's table; our fields): service types and what they yield: category R
  recurring charge (order items from contract items), O one-off charge (order items from
  billable items), U usage (fulfilment items); the condition types of the transaction price
  and of the standalone selling price; XINVOICE: invoice items from invoicing lines.
- TFK_RA_CONDTYP (ours): condition types with their role (P transaction price, S standalone
  selling price) and statistical flag.
- TFK_RA_CHRSN (SAP's value table; our fields): change reasons; XNEWCONTRACT: a change with
  this reason opens a new revenue contract (a renewal).
- TFK8105E (SAP's table): exception reasons of billable items.
- TFK033F / TFK033D (SAP's names, reduced): posting areas with the names of their key and
  result fields (TFK033C's role, ours folded in) and their rows (KEY01-KEY06 -> FUN01-FUN04),
  read by `posting_areas.determine` (longest key match with fallback).
"""

from __future__ import annotations

from typing import NamedTuple

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.tables import ErpTable, char

CONVERGENT = "C"          # APPLK of Convergent Invoicing (contract accounting generic)
RECURRING, ONE_OFF, USAGE = "R", "O", "U"
PRICE, SSP = "P", "S"


class TFKRA_ACT(ErpTable, table=True):
    """Ours: revenue accounting integration switched on, per application area."""

    __tablename__ = "TFKRA_ACT"
    APPLK: str = char(1, key=True)
    XACTIVE: str = char(1)               # X: integration with revenue accounting active
    RFCDEST: str = char(32)              # RFC destination of the RAR system
    SRCDOC_COMP: str = char(3)           # RAI source component (CA)
    PROC_LEVEL: str = char(1)            # fulfilment items: 1 aggregate+send, 2 aggregate only


class TFK_RA_SERVTYP(ErpTable, table=True):
    """Service types for revenue accounting."""

    __tablename__ = "TFK_RA_SERVTYP"
    SERVICE_TYPE: str = char(6, key=True)
    SRVTY_CAT: str = char(1)             # ours: R recurring, O one-off, U usage
    COND_TYPE: str = char(4)             # condition type of the transaction price
    SSP_COND_TYPE: str = char(4)         # condition type of the standalone selling price
    XINVOICE: str = char(1)              # X: invoicing lines yield invoice items
    TEXT: str = char(40)


class TFK_RA_CONDTYP(ErpTable, table=True):
    """Ours: condition types sent to revenue accounting."""

    __tablename__ = "TFK_RA_CONDTYP"
    CONDITION_TYPE: str = char(4, key=True)
    COND_ROLE: str = char(1)             # P transaction price, S standalone selling price
    STATISTIC: str = char(1)             # X: statistical (not part of the price)
    TEXT: str = char(30)


class TFK_RA_CHRSN(ErpTable, table=True):
    """Change reasons of provider contract items."""

    __tablename__ = "TFK_RA_CHRSN"
    CHRSN: str = char(2, key=True)
    XNEWCONTRACT: str = char(1)          # X: opens a new revenue contract (renewal)
    TEXT: str = char(40)


class TFK8105E(ErpTable, table=True):
    """Exception reasons of billable items."""

    __tablename__ = "TFK8105E"
    EXCREASON: str = char(4, key=True)
    TEXT: str = char(40)


class TFK033F(ErpTable, table=True):
    """Posting areas, with their key and result field names (TFK033C's role, ours here)."""

    __tablename__ = "TFK033F"
    APPLK: str = char(1, key=True)
    BUBER: str = char(4, key=True)       # posting area
    KEY_FIELDS: str = char(120)          # key field names in order, comma-separated
    FUN_FIELDS: str = char(120)          # result field names in order, comma-separated
    TEXT: str = char(60)


class TFK033D(ErpTable, table=True):
    """Posting area rows: key values -> results (blank key: the row of a shorter key)."""

    __tablename__ = "TFK033D"
    APPLK: str = char(1, key=True)
    BUBER: str = char(4, key=True)
    KTOPL: str = char(4, key=True)       # chart of accounts (blank: not account-related)
    KEY01: str = char(40, key=True)
    KEY02: str = char(40, key=True)
    KEY03: str = char(40, key=True)
    KEY04: str = char(40, key=True)
    KEY05: str = char(40, key=True)
    KEY06: str = char(40, key=True)
    FUN01: str = char(40)
    FUN02: str = char(40)
    FUN03: str = char(40)
    FUN04: str = char(40)


CUSTOMIZING = (TFKRA_ACT, TFK_RA_SERVTYP, TFK_RA_CONDTYP, TFK_RA_CHRSN, TFK8105E, TFK033F,
               TFK033D)


class RaSettings(NamedTuple):
    active: bool
    destination: str
    source_component: str
    processing_level: str


class ServiceType(NamedTuple):
    code: str
    category: str
    condition_type: str
    ssp_condition_type: str
    invoice_items: bool
    text: str


def ra_settings(ctx: CallContext, applk: str = CONVERGENT) -> RaSettings:
    """The integration's settings; switched off when the application area has no row."""
    row = ctx.buffered(TFKRA_ACT).get(applk)
    if row is None:
        return RaSettings(False, "", "", "1")
    return RaSettings(row.XACTIVE == "X", row.RFCDEST, row.SRCDOC_COMP,
                      row.PROC_LEVEL or "1")


def service_type(ctx: CallContext, code: str) -> ServiceType | None:
    row = ctx.buffered(TFK_RA_SERVTYP).get(code)
    if row is None:
        return None
    return ServiceType(row.SERVICE_TYPE, row.SRVTY_CAT, row.COND_TYPE, row.SSP_COND_TYPE,
                       row.XINVOICE == "X", row.TEXT)


def change_reason(ctx: CallContext, chrsn: str) -> tuple[str, bool] | None:
    """(text, opens a new revenue contract) of a change reason, or None if not defined."""
    row = ctx.buffered(TFK_RA_CHRSN).get(chrsn)
    return None if row is None else (row.TEXT, row.XNEWCONTRACT == "X")


def condition_type(ctx: CallContext, kschl: str) -> tuple[str, bool] | None:
    """(role, statistical) of a condition type, or None if not defined."""
    row = ctx.buffered(TFK_RA_CONDTYP).get(kschl)
    return None if row is None else (row.COND_ROLE, row.STATISTIC == "X")
