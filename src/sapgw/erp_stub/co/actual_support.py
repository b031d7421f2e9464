"""What the CO actual posting BAPIs share: their interface (`post_and_check`), the document
header, the sender and receiver objects of an item, the posting period check and the posting.

BAPI_ACC_ACTIVITY_ALLOC_POST and BAPI_ACC_PRIMARY_COSTS_POST (and their _CHECK twins) check
the whole document first and report every problem, each with PARAMETER, ROW and FIELD; a
document with an error posts nothing. Objects are looked up on the posting date: a cost
center must be valid then (CSKS), an order must exist in the header's controlling area and
be released (AUFK-PHAS1). The posting period must be open (OB52, FBAS's T001B) in the company
code of every object the document touches. Function group CO_ACTUAL is our name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sapgw.erp_stub.co.bapi_support import Problems, check_area
from sapgw.erp_stub.co.master_data import cost_center
from sapgw.erp_stub.co.orders import order
from sapgw.erp_stub.co.postings import CoLine, CoReference, post_line_items
from sapgw.erp_stub.co.totals import ACTUAL_VERSION
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.registry import FunctionGroup, Handler
from sapgw.rfc.ddic import CHAR, Structure
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

actual_group = FunctionGroup("CO_ACTUAL")

HEADER = "DOC_HEADER"
ITEMS = "DOC_ITEMS"


# (ctx, DOC_HEADER, DOC_ITEMS, post) -> DOC_NO and RETURN: a document posted or only checked
Document = Callable[[CallContext, dict[str, Any], list[dict[str, Any]], bool], dict[str, Any]]


def post_and_check(post: str, check: str, *, text: str, header: Structure, item: Structure,
                   items_text: str, document: Document) -> None:
    """Register a posting BAPI and its _CHECK twin: one interface (DOC_HEADER, IGNORE_WARNINGS,
    DOC_NO, DOC_ITEMS, RETURN), the same `document` run with post true or false. DOC_ITEMS
    comes back as it was sent (a TABLES parameter)."""
    parameters = [
        importing(HEADER, header, optional=False, text="Document header"),
        importing("IGNORE_WARNINGS", CHAR(1), text="X: post despite warnings"),
        exporting("DOC_NO", CHAR(10), "CO document number"),
        tables(ITEMS, item, text=items_text),
        tables("RETURN", BAPIRET2, text="Return messages"),
    ]
    for name, posts, verb in ((post, True, "post"), (check, False, "check")):
        actual_group.function(interface(name, parameters, text=f"{text}: {verb}"))(
            _handler(document, posts))


def _handler(document: Document, post: bool) -> Handler:
    def bapi(ctx: CallContext, DOC_HEADER: dict[str, Any], IGNORE_WARNINGS: str,
             DOC_ITEMS: list[dict[str, Any]], RETURN: list[dict[str, Any]]) -> dict[str, Any]:
        return {**document(ctx, DOC_HEADER, DOC_ITEMS, post), "DOC_ITEMS": DOC_ITEMS}

    return bapi


@dataclass(frozen=True)
class Header:
    """A checked document header: controlling area, dates, fiscal year and period."""

    kokrs: str
    currency: str
    budat: str
    bldat: str
    gjahr: int
    period: int
    usnam: str
    text: str
    awtyp: str
    awkey: str


@dataclass(frozen=True)
class CoObject:
    """A sender or receiver: its object number and company code."""

    objnr: str
    bukrs: str


def check_header(ctx: CallContext, header: dict[str, Any], problems: Problems
                 ) -> Header | None:
    """The header's controlling area, dates (default today) and user; None when it fails."""
    area = check_area(ctx, header["CO_AREA"], HEADER, problems)
    if not header["USERNAME"]:
        problems.required("USERNAME", parameter=HEADER)
    if header["VERSION"] not in ("", "0", ACTUAL_VERSION):
        problems.error("KI", "914", header["VERSION"], parameter=HEADER, field="VERSION")
    if area is None or problems.failed:
        return None
    today = ctx.clock.today().strftime("%Y%m%d")
    budat = header["POSTGDATE"] or today
    gjahr, period = fbas.fiscal_period(ctx, area.LMONA, budat)
    return Header(header["CO_AREA"], area.WAERS, budat, header["DOCDATE"] or budat, gjahr,
                  period, header["USERNAME"], header["DOC_HDR_TX"], header["OBJ_TYPE"],
                  header["OBJ_KEY"])


def cost_center_object(ctx: CallContext, head: Header, value: str, problems: Problems,
                       row: int, field: str) -> CoObject | None:
    """KS + KOKRS + KOSTL of a cost center valid on the posting date."""
    kostl = alpha(value, 10)
    csks = cost_center(ctx, head.kokrs, kostl, head.budat)
    if csks is None:
        problems.error("KI", "100", kostl, head.kokrs, row=row, field=field, parameter=ITEMS)
        return None
    return CoObject(csks.OBJNR or f"KS{head.kokrs}{kostl}", csks.BUKRS)


def order_object(ctx: CallContext, head: Header, value: str, problems: Problems, row: int,
                 field: str) -> CoObject | None:
    """OR + AUFNR of a released order of the header's controlling area."""
    aufnr = alpha(value, 12)
    master = order(ctx, aufnr)
    if master is None:
        problems.error("KO", "013", aufnr, row=row, field=field, parameter=ITEMS)
    elif master["KOKRS"] != head.kokrs:
        problems.error("KI", "910", aufnr, master["KOKRS"], head.kokrs, row=row, field=field,
                       parameter=ITEMS)
    elif master["PHAS1"] != "X":
        problems.error("KI", "902", aufnr, row=row, field=field, parameter=ITEMS)
    else:
        return CoObject(master["OBJNR"] or f"OR{aufnr}", master["BUKRS"])
    return None


Resolver = Callable[[CallContext, Header, str, Problems, int, str], "CoObject | None"]


def one_object(ctx: CallContext, head: Header, item: dict[str, Any], row: int, role: str,
               resolvers: dict[str, Resolver], unsupported: tuple[str, ...],
               problems: Problems) -> CoObject | None:
    """The one sender (or receiver) an item names among `resolvers`' fields; the fields of
    object kinds this system does not post to are refused, not ignored."""
    for field in unsupported:
        if item.get(field):
            problems.error("KO", "910", item[field], field, row=row, field=field,
                           parameter=ITEMS)
    given = [field for field in resolvers if item.get(field)]
    if not given:
        if not any(item.get(field) for field in unsupported):
            problems.error("KI", "903", row, role, row=row, field=next(iter(resolvers)),
                           parameter=ITEMS)
        return None
    if len(given) > 1:
        problems.error("KI", "904", row, role, ", ".join(given), row=row, field=given[1],
                       parameter=ITEMS)
        return None
    return resolvers[given[0]](ctx, head, item[given[0]], problems, row, given[0])


def closed_period(ctx: CallContext, bukrs: str, budat: str) -> tuple[int, int] | None:
    """OB52: (fiscal year, period) of the posting date in the company code when that period
    is closed there (F5 201 for the caller), None when it is open."""
    company = fbas.company_code(ctx, bukrs)
    year, period = fbas.fiscal_period(ctx, company.PERIV if company else "", budat)
    return None if fbas.posting_period_open(ctx, bukrs, year, period) else (year, period)


def check_periods(ctx: CallContext, head: Header, company_codes: set[str],
                  problems: Problems) -> None:
    """OB52: the posting period must be open in every company code the document touches."""
    for bukrs in sorted(company_codes):
        if (closed := closed_period(ctx, bukrs, head.budat)) is not None:
            year, period = closed
            problems.error("F5", "201", f"{period:03d}", year, parameter=HEADER,
                           field="POSTGDATE")


def post_or_check(ctx: CallContext, head: Header, lines: list[CoLine], vrgng: str,
                  problems: Problems, post: bool) -> dict[str, Any]:
    """Register the CO document (post) or only confirm the check; RETURN and DOC_NO."""
    if problems.failed:
        return {"DOC_NO": "", "RETURN": problems.rows}
    if not post:
        problems.add("S", "KI", "913")
        return {"DOC_NO": "", "RETURN": problems.rows}
    belnr = post_line_items(ctx, kokrs=head.kokrs, budat=head.budat, lines=lines, vrgng=vrgng,
                            reference=CoReference("K", awtyp=head.awtyp, awkey=head.awkey),
                            bldat=head.bldat, text=head.text, usnam=head.usnam)
    problems.add("S", "KI", "912", belnr, head.kokrs)
    return {"DOC_NO": belnr, "RETURN": problems.rows}
