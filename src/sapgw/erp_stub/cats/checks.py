"""The checks of one time sheet record before it is saved (BAPI_CATIMESHEETMGR_INSERT).

Each problem is a RETURN row of type E naming the row of CATSRECORDS_IN and the field:
an employee without an organisational assignment on the work date, a sender or receiver
that does not exist then, an order that is not released, an activity type without a
planned price for the work date's fiscal year and period (KP26, `co.activity_price`), a
posting period closed (OB52) in the company code of the sender or the receiver. SAP's time
sheet checks most of these when the record is saved (the price and the period only at the
transfer); here all are checked at once, so a record that is saved can be transferred.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.cats.hr import Employee, employee
from sapgw.erp_stub.cats.returns import Messages
from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.copa import api as copa
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha

RECEIVER_FIELDS = ("REC_ORDER", "REC_CCTR", "PROFIT_SEGM_NO")
UNSUPPORTED_RECEIVERS = ("WBS_ELEMENT", "NETWORK", "SALES_ORD")
NO_PERNR = ("", "00000000")


@dataclass(frozen=True, slots=True)
class CheckedRecord:
    """A record that passed every check, with what was derived for it."""

    row: int
    record: dict[str, Any]
    employee: Employee
    kokrs: str
    skostl: str
    lstar: str
    unit: str
    rkostl: str
    raufnr: str
    hours: Decimal
    paobjnr: str = ""


@dataclass(frozen=True, slots=True)
class _Receiver:
    rkostl: str
    raufnr: str
    bukrs: str
    paobjnr: str = ""


def check_record(ctx: CallContext, record: dict[str, Any], row: int, messages: Messages
                 ) -> CheckedRecord | None:
    """The record checked, or None with every problem of it in `messages`."""
    before = len(messages.rows)
    workdate, pernr = record["WORKDATE"], record["EMPLOYEENUMBER"]
    for field, missing in (("WORKDATE", not workdate), ("EMPLOYEENUMBER", pernr in NO_PERNR),
                           ("ACTTYPE", not record["ACTTYPE"])):
        if missing:
            messages.error("LR", "903", field, row=row, field=field)
    if record["CATSHOURS"] <= 0:
        messages.error("LR", "904", record["CATSHOURS"], row=row, field="CATSHOURS")
    if not workdate or pernr in NO_PERNR:
        return None
    person = employee(ctx, pernr, workdate)
    if person is None:
        messages.error("LR", "901", pernr, workdate, row=row, field="EMPLOYEENUMBER")
        return None
    kokrs = record["CO_AREA"] or person.kokrs
    area = co.controlling_area(ctx, kokrs)
    if area is None:
        messages.error("LR", "919", kokrs, row=row, field="CO_AREA")
        return None
    skostl = alpha(record["SEND_CCTR"], 10) if record["SEND_CCTR"] else person.kostl
    sender = co.cost_center(ctx, kokrs, skostl, workdate)
    if sender is None:
        messages.error("LR", "907", skostl, kokrs, workdate, row=row, field="SEND_CCTR")
    lstar = record["ACTTYPE"]
    csla = co.activity_type(ctx, kokrs, lstar, workdate) if lstar else None
    if lstar and csla is None:
        messages.error("LR", "908", lstar, kokrs, workdate, row=row, field="ACTTYPE")
    unit = record["UNIT"] or (csla.LEINH if csla is not None else "")
    if csla is not None and unit != csla.LEINH:
        messages.error("LR", "914", unit, csla.LEINH, lstar, row=row, field="UNIT")
    receiver = _receiver(ctx, record, row, kokrs, workdate, messages)
    if receiver is not None and receiver.paobjnr and csla is not None:
        _segment(ctx, receiver.paobjnr, kokrs, csla.VKSTA, workdate, row, messages)
    if receiver is not None and receiver.rkostl and receiver.rkostl == skostl:
        messages.error("LR", "920", skostl, row=row, field="REC_CCTR")
    if sender is not None and csla is not None:
        gjahr, period = fbas.fiscal_period(ctx, area.LMONA, workdate)
        if co.activity_price(ctx, kokrs, skostl, lstar, f"{gjahr:04d}", period) is None:
            messages.error("LR", "909", skostl, lstar, gjahr, f"{period:03d}", row=row,
                           field="ACTTYPE")
    company_codes = {sender.BUKRS if sender is not None else "",
                     receiver.bukrs if receiver is not None else ""} - {""}
    _check_periods(ctx, company_codes, workdate, row, messages)
    if len(messages.rows) > before:
        return None
    return CheckedRecord(row, record, person, kokrs, skostl, lstar, unit,
                         receiver.rkostl if receiver else "", receiver.raufnr if receiver
                         else "", record["CATSHOURS"], receiver.paobjnr if receiver else "")


def _receiver(ctx: CallContext, record: dict[str, Any], row: int, kokrs: str, workdate: str,
              messages: Messages) -> _Receiver | None:
    """The one receiver (order, cost center or profitability segment) the record names;
    other kinds are refused."""
    unsupported = [field for field in UNSUPPORTED_RECEIVERS if record[field]]
    for field in unsupported:
        messages.error("LR", "913", record[field], field, row=row, field=field)
    given = [field for field in RECEIVER_FIELDS if str(record[field]).strip("0")]
    if not given:
        if not unsupported:
            messages.error("LR", "912", row=row, field="REC_ORDER")
        return None
    if len(given) > 1:
        messages.error("LR", "911", ", ".join(given), row=row, field=given[1])
        return None
    if given[0] == "REC_CCTR":
        rkostl = alpha(record["REC_CCTR"], 10)
        center = co.cost_center(ctx, kokrs, rkostl, workdate)
        if center is None:
            messages.error("LR", "907", rkostl, kokrs, workdate, row=row, field="REC_CCTR")
            return None
        return _Receiver(rkostl, "", center.BUKRS)
    if given[0] == "PROFIT_SEGM_NO":
        paobjnr = str(record["PROFIT_SEGM_NO"]).zfill(10)
        try:
            found = copa.existing_segment(ctx, paobjnr)
        except copa.CopaError as error:
            messages.error(error.msg_class, error.number, *error.variables, row=row,
                           field=error.field)
            return None
        return _Receiver("", "", found["BUKRS"], paobjnr)
    aufnr = alpha(record["REC_ORDER"], 12)
    master = co.order(ctx, aufnr)
    if master is None:
        messages.error("LR", "905", aufnr, row=row, field="REC_ORDER")
    elif master["KOKRS"] != kokrs:
        messages.error("LR", "915", aufnr, master["KOKRS"], kokrs, row=row, field="REC_ORDER")
    elif master["PHAS1"] != "X":
        messages.error("LR", "906", aufnr, row=row, field="REC_ORDER")
    else:
        return _Receiver("", aufnr, master["BUKRS"])
    return None


def _segment(ctx: CallContext, paobjnr: str, kokrs: str, kstar: str, workdate: str, row: int,
             messages: Messages) -> None:
    """What CO-PA would refuse at the transfer: the segment's controlling area, the
    allocation cost element in the KEI2 structure (ours: checked at entry, as the price)."""
    try:
        copa.check_direct(ctx, kokrs=kokrs, paobjnr=paobjnr, kstar=kstar, budat=workdate)
    except copa.CopaError as error:
        messages.error(error.msg_class, error.number, *error.variables, row=row,
                       field="PROFIT_SEGM_NO")


def _check_periods(ctx: CallContext, company_codes: set[str], workdate: str, row: int,
                   messages: Messages) -> None:
    """OB52: the work date's posting period must be open where the allocation will post."""
    for bukrs in sorted(company_codes):
        if (closed := co.closed_period(ctx, bukrs, workdate)) is not None:
            year, period = closed
            messages.error("LR", "910", f"{period:03d}", year, bukrs, row=row,
                           field="WORKDATE")
