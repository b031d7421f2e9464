"""The shapes an accounting document has between its check and its posting.

The check builds a `Document` from the BAPI's tables and records every problem in
`Messages`; posting only ever sees a document whose check found nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.fbas.api import CompanyCode
from sapgw.erp_stub.kernel.messages import bapiret2

HEADER = "DOCUMENTHEADER"
ACCOUNTGL = "ACCOUNTGL"
ACCOUNTRECEIVABLE = "ACCOUNTRECEIVABLE"
ACCOUNTPAYABLE = "ACCOUNTPAYABLE"
CURRENCYAMOUNT = "CURRENCYAMOUNT"
BKPFF = "BKPFF"  # AWTYP of documents FI numbers itself: AWKEY = BELNR + BUKRS + GJAHR


class Messages:
    """Error rows (BAPIRET2) collected in the order they are found; the check never stops."""

    def __init__(self, system: str) -> None:
        self.system = system
        self.rows: list[dict[str, Any]] = []

    def error(self, msg_class: str, number: str, *variables: Any, parameter: str = "",
              row: int = 0, field: str = "") -> None:
        self.rows.append(bapiret2("E", msg_class, number, *variables, parameter=parameter,
                                  row=row, field=field, system=self.system))

    def required(self, field: str, parameter: str, row: int = 0) -> None:
        self.error("RW", "901", field, parameter, parameter=parameter, row=row, field=field)

    def __bool__(self) -> bool:
        return bool(self.rows)


@dataclass(frozen=True)
class CoObject:
    """The CO account assignment of a line: its object number and the BSEG field it fills."""

    objnr: str
    kostl: str = ""
    aufnr: str = ""
    projk: str = ""
    paobjnr: str = ""                # a profitability segment: CO-PA, no CO line item


@dataclass
class Line:
    """One line item as BSEG will hold it; amounts are signed (+ debit, - credit)."""

    parameter: str                   # the BAPI table it came from
    row: int                         # 1-based row in that table
    itemno: str
    koart: str                       # S G/L, D customer, K vendor
    hkont: str = ""
    kunnr: str = ""
    lifnr: str = ""
    text: str = ""
    zuonr: str = ""
    mwskz: str = ""
    valut: str = ""
    prctr: str = ""
    co: CoObject | None = None
    cost_element: bool = False       # P&L account: CO gets a line item for its object
    wrbtr: Decimal | None = None     # document currency
    dmbtr: Decimal | None = None     # company code currency


@dataclass
class Document:
    """Header data of the document to post, derived and checked from DOCUMENTHEADER."""

    bukrs: str = ""
    company: CompanyCode | None = None
    kokrs: str = ""
    budat: str = ""
    bldat: str = ""
    gjahr: int = 0
    monat: int = 0
    blart: str = "SA"
    nrrange: str = "01"
    xblnr: str = ""
    bktxt: str = ""
    usnam: str = ""
    glvor: str = "RFBU"
    awtyp: str = BKPFF
    awkey: str = ""                  # blank for BKPFF: assigned with the document number
    awsys: str = ""
    stgrd: str = ""
    waers: str = ""                  # document currency, from CURRENCYAMOUNT
    hwaer: str = ""                  # company code currency
    reverses: dict[str, Any] | None = None   # BKPF of the document this one reverses
    lines: list[Line] = field(default_factory=list)
