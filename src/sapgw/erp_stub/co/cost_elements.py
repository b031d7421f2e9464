"""Cost elements over RFC: BAPI_COSTELEM_CREATEMULTIPLE, _GETDETAIL, _GETLIST (KA01/KA06/KA03).

Rows go to CSKA (per chart of accounts, once), CSKB (per controlling area and validity
period, with the category KATYP) and CSKU (texts). The category decides the class: primary
categories (01, 03, 04, 11, 12, 22, 90) need a P&L G/L account of the same number in the
controlling area's chart of accounts (90: a balance sheet account), secondary ones (21, 31,
41, 42, 43, …) must not be G/L accounts. COSTELEMCLASS 1 (primary) / 2 (secondary), when
given, must match. Structure names BAPI1030_*; their field names beyond SAP's public
examples are ours (docs/ERP_STUB.md). Not built: CHANGEMULTIPLE, default account assignments.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.co.bapi_support import (
    BAPI0015_10,
    Problems,
    check_area,
    language,
    master_group,
    test_run_or_saved,
    texts,
    validity,
)
from sapgw.erp_stub.co.gl_accounts import AccountKind, gl_account_kind
from sapgw.erp_stub.co.master_data import PRIMARY_CATEGORIES, SECONDARY_CATEGORIES, overlapping
from sapgw.erp_stub.co.master_data import cost_element as valid_cost_element
from sapgw.erp_stub.co.master_tables import CSKA, CSKB, CSKU
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.rfc.ddic import CHAR, DATS, structure
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

LIST = "COSTELEMENTLIST"
CLASSES = {"1": "primary", "2": "secondary"}
_FIELDS = (
    ("COST_ELEM", CHAR(10), "Cost element"), ("VALID_FROM", DATS, "Valid from"),
    ("VALID_TO", DATS, "Valid to"), ("NAME", CHAR(20), "Name"),
    ("DESCRIPT", CHAR(40), "Description"), ("CELEM_CATEGORY", CHAR(2), "Category (KATYP)"),
    ("RECORD_QUANTITY", CHAR(1), "Record quantity"), ("UNIT_OF_MEASURE", CHAR(3), "Unit"),
)
BAPI1030_CEINPUTLIST = structure("BAPI1030_CEINPUTLIST", *_FIELDS)
BAPI1030_CEOUTPUTLIST = structure("BAPI1030_CEOUTPUTLIST",
                                  ("CO_AREA", CHAR(4), "Controlling area"), *_FIELDS)
BAPI1030_CELIST = structure(
    "BAPI1030_CELIST", ("CO_AREA", CHAR(4), "Controlling area"),
    ("COST_ELEM", CHAR(10), "Cost element"), ("VALID_FROM", DATS, "Valid from"),
    ("VALID_TO", DATS, "Valid to"), ("NAME", CHAR(20), "Name"),
    ("CELEM_CATEGORY", CHAR(2), "Category (KATYP)"),
)


@master_group.function(interface("BAPI_COSTELEM_CREATEMULTIPLE", [
    importing("COAREA", CHAR(4), optional=False, text="Controlling area"),
    importing("COSTELEMCLASS", CHAR(1), text="1 primary, 2 secondary (blank: by category)"),
    importing("TESTRUN", CHAR(1), text="X: check only, create nothing"),
    importing("LANGUAGE", BAPI0015_10, text="Language of the texts"),
    tables(LIST, BAPI1030_CEINPUTLIST, optional=False, text="Cost elements to create"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Create cost elements"))
def create_multiple(ctx: CallContext, COAREA: str, COSTELEMCLASS: str, TESTRUN: str,
                    LANGUAGE: dict[str, Any], COSTELEMENTLIST: list[dict[str, Any]],
                    RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    problems = Problems(ctx, LIST)
    area = check_area(ctx, COAREA, "COAREA", problems)
    if COSTELEMCLASS and COSTELEMCLASS not in CLASSES:
        problems.error("KO", "910", COSTELEMCLASS, "COSTELEMCLASS", parameter="COSTELEMCLASS")
    if not COSTELEMENTLIST:
        problems.error("KO", "911", LIST)
    rows: list[dict[str, Any]] = []
    for number, item in enumerate(COSTELEMENTLIST, start=1):
        row = _check(ctx, area, COSTELEMCLASS, item, number, rows, problems)
        if row is not None:
            rows.append(row)
    if not problems.failed and TESTRUN != "X":
        _save(ctx, area, rows, language(LANGUAGE))
    test_run_or_saved(problems, TESTRUN, len(COSTELEMENTLIST),
                      [("KA", "902", (row["KSTAR"], row["KOKRS"])) for row in rows])
    RETURN[:] = problems.rows
    return {LIST: COSTELEMENTLIST, "RETURN": RETURN}


def _check(ctx: CallContext, area: Any, elem_class: str, item: dict[str, Any], row: int,
           accepted: list[dict[str, Any]], problems: Problems) -> dict[str, Any] | None:
    kstar, katyp = alpha(item["COST_ELEM"], 10), item["CELEM_CATEGORY"]
    for field in ("COST_ELEM", "NAME", "CELEM_CATEGORY"):
        if not item[field]:
            problems.required(field, row)
    dates = validity(item, row, problems)
    known = katyp in PRIMARY_CATEGORIES | SECONDARY_CATEGORIES
    if katyp and not known:
        problems.error("KA", "903", katyp, row=row, field="CELEM_CATEGORY")
    elif katyp and elem_class in CLASSES and (katyp in PRIMARY_CATEGORIES) != (elem_class == "1"):
        problems.error("KA", "904", katyp, CLASSES[elem_class], row=row, field="CELEM_CATEGORY")
    if area is None or not kstar or not known or dates is None:
        return None
    (datab, datbi), kokrs = dates, area.KOKRS
    existing = overlapping(ctx.buffered(CSKB).where(KOKRS=kokrs, KSTAR=kstar), datab, datbi)
    if existing is not None:
        problems.error("KA", "901", kstar, kokrs, existing.DATAB, existing.DATBI, row=row,
                       field="COST_ELEM")
    if any(other["KSTAR"] == kstar for other in accepted):
        problems.error("KA", "908", kstar, LIST, row=row, field="COST_ELEM")
    _check_account(ctx, area, kstar, katyp, row, problems)
    return {"KOKRS": kokrs, "KSTAR": kstar, "DATBI": datbi, "DATAB": datab, "KATYP": katyp,
            "MGEFL": item["RECORD_QUANTITY"], "MSEHI": item["UNIT_OF_MEASURE"],
            "KTEXT": item["NAME"], "LTEXT": item["DESCRIPT"] or item["NAME"]}


def _check_account(ctx: CallContext, area: Any, kstar: str, katyp: str, row: int,
                   problems: Problems) -> None:
    """Category against the G/L account of the same number (reference/controlling.md §2.6)."""
    kind = gl_account_kind(ctx, area.KTOPL, kstar)
    if katyp in SECONDARY_CATEGORIES:
        if kind is not None:
            problems.error("KA", "907", kstar, area.KTOPL, katyp, row=row, field="COST_ELEM")
        return
    wanted = AccountKind.BALANCE_SHEET if katyp == "90" else AccountKind.PROFIT_AND_LOSS
    if kind is None:
        problems.error("KA", "905", kstar, area.KTOPL, row=row, field="COST_ELEM")
    elif kind != wanted:
        number = "906" if wanted == AccountKind.PROFIT_AND_LOSS else "909"
        problems.error("KA", number, kstar, katyp, row=row, field="CELEM_CATEGORY")


def _save(ctx: CallContext, area: Any, rows: list[dict[str, Any]], spras: str) -> None:
    today = ctx.clock.today().strftime("%Y%m%d")
    for row in rows:
        text_fields = {"KTEXT": row.pop("KTEXT"), "LTEXT": row.pop("LTEXT")}
        key = {"KTOPL": area.KTOPL, "KSTAR": row["KSTAR"]}
        if not _exists(ctx, CSKA, key):
            ctx.insert(CSKA, {**key, "ERSDA": today})
        if not _exists(ctx, CSKU, {**key, "SPRAS": spras}):
            ctx.insert(CSKU, {**key, "SPRAS": spras, **text_fields})
        ctx.insert(CSKB, {**row, "ERSDA": today})


def _exists(ctx: CallContext, model: Any, key: dict[str, str]) -> bool:
    table = model.__table__
    with ctx.read() as conn:
        return conn.execute(select(*table.primary_key.columns).where(
            *(table.c[name] == value for name, value in key.items()))).first() is not None


@master_group.function(interface("BAPI_COSTELEM_GETDETAIL", [
    importing("CONTROLLINGAREA", CHAR(4), optional=False, text="Controlling area"),
    importing("COSTELEMENT", CHAR(10), optional=False, text="Cost element"),
    importing("KEYDATE", DATS, text="Key date (blank: today)"),
    importing("LANGUAGE", BAPI0015_10, text="Language of the texts"),
    exporting("COSTELEMENTDETAIL", BAPI1030_CEOUTPUTLIST, "Cost element master data"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Cost element master data on a key date"))
def get_detail(ctx: CallContext, CONTROLLINGAREA: str, COSTELEMENT: str, KEYDATE: str,
               LANGUAGE: dict[str, Any], RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    problems = Problems(ctx, "")
    kstar = alpha(COSTELEMENT, 10)
    result: dict[str, Any] = {}
    area = check_area(ctx, CONTROLLINGAREA, "CONTROLLINGAREA", problems)
    if area is not None:
        cskb = valid_cost_element(ctx, CONTROLLINGAREA, kstar, KEYDATE or None)
        if cskb is None:
            problems.error("KA", "910", kstar, CONTROLLINGAREA, KEYDATE or "today",
                           parameter="COSTELEMENT")
        else:
            text = texts(ctx, CSKU, language(LANGUAGE), [kstar], ("KSTAR",),
                         KTOPL=area.KTOPL).get(kstar)
            result["COSTELEMENTDETAIL"] = {**_listed(cskb, text),
                                           "DESCRIPT": text.LTEXT if text else "",
                                           "RECORD_QUANTITY": cskb.MGEFL,
                                           "UNIT_OF_MEASURE": cskb.MSEHI}
    RETURN[:] = problems.rows
    result["RETURN"] = RETURN
    return result


@master_group.function(interface("BAPI_COSTELEM_GETLIST", [
    importing("CONTROLLINGAREA", CHAR(4), optional=False, text="Controlling area"),
    importing("DATE", DATS, text="Valid on (blank: any validity)"),
    importing("COSTELEMENT_FROM", CHAR(10), text="Cost elements from"),
    importing("COSTELEMENT_TO", CHAR(10), text="Cost elements to"),
    tables(LIST, BAPI1030_CELIST, text="Cost elements found"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Cost elements of a controlling area"))
def get_list(ctx: CallContext, CONTROLLINGAREA: str, DATE: str, COSTELEMENT_FROM: str,
             COSTELEMENT_TO: str, COSTELEMENTLIST: list[dict[str, Any]],
             RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    problems = Problems(ctx, "")
    found: list[Any] = []
    area = check_area(ctx, CONTROLLINGAREA, "CONTROLLINGAREA", problems)
    if area is not None:
        low = alpha(COSTELEMENT_FROM, 10) if COSTELEMENT_FROM else ""
        high = alpha(COSTELEMENT_TO, 10) if COSTELEMENT_TO else low or "\uffff"
        found = [row for row in ctx.buffered(CSKB).where(KOKRS=CONTROLLINGAREA)
                 if low <= row.KSTAR <= high and (not DATE or row.DATAB <= DATE <= row.DATBI)]
        if not found:
            problems.add("I", "KA", "911", CONTROLLINGAREA)
    names = texts(ctx, CSKU, "", [row.KSTAR for row in found], ("KSTAR",), KTOPL=area.KTOPL)
    COSTELEMENTLIST[:] = [_listed(row, names.get(row.KSTAR)) for row in found]
    RETURN[:] = problems.rows
    return {LIST: COSTELEMENTLIST, "RETURN": RETURN}


def _listed(cskb: Any, text: Any) -> dict[str, Any]:
    return {"CO_AREA": cskb.KOKRS, "COST_ELEM": cskb.KSTAR, "VALID_FROM": cskb.DATAB,
            "VALID_TO": cskb.DATBI, "NAME": text.KTEXT if text else "",
            "CELEM_CATEGORY": cskb.KATYP}


