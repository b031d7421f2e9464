"""Activity types over RFC: BAPI_ACTTYPE_CREATEMULTIPLE, _GETDETAIL, _GETLIST (KL01/KL03).

Rows go to CSLA (one per validity period) and CSLT (texts). An activity type that is
allocated (category LATYP 1, 2 or 3) needs an allocation cost element (VKSTA) of category 43
valid from its start. Structure names BAPI1031_*; their field names beyond COAREA,
ACTIVITYTYPELIST and RETURN are ours (docs/ERP_STUB.md). Not built: units are not checked
against T006, CHANGEMULTIPLE, activity type groups.
"""

from __future__ import annotations

from typing import Any

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
from sapgw.erp_stub.co.master_data import activity_type as valid_activity_type
from sapgw.erp_stub.co.master_data import cost_element, overlapping
from sapgw.erp_stub.co.master_tables import CSLA, CSLT
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.rfc.ddic import CHAR, DATS, structure
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

LIST = "ACTIVITYTYPELIST"
CATEGORIES = {"1": "manual entry, manual allocation", "2": "indirect entry and allocation",
              "3": "manual entry, indirect allocation", "4": "manual entry, no allocation"}
ACTIVITY_ALLOCATION = "43"
_FIELDS = (
    ("ACTTYPE", CHAR(6), "Activity type"), ("VALID_FROM", DATS, "Valid from"),
    ("VALID_TO", DATS, "Valid to"), ("NAME", CHAR(20), "Name"),
    ("DESCRIPT", CHAR(40), "Description"), ("ACTTYPE_UNIT", CHAR(3), "Activity unit"),
    ("CCTR_CATEGORIES", CHAR(8), "Allowed cost center categories"),
    ("ACTTYPE_CATEGORY", CHAR(1), "Category (LATYP)"),
    ("ACT_CAT_ACTUAL", CHAR(1), "Actual category (LATYPI)"),
    ("ALLOC_COST_ELEM", CHAR(10), "Allocation cost element"),
    ("PRICE_INDICATOR", CHAR(3), "Plan price indicator"),
)
BAPI1031_ATINPUTLIST = structure("BAPI1031_ATINPUTLIST", *_FIELDS)
BAPI1031_ATOUTPUTLIST = structure("BAPI1031_ATOUTPUTLIST",
                                  ("CO_AREA", CHAR(4), "Controlling area"), *_FIELDS)


@master_group.function(interface("BAPI_ACTTYPE_CREATEMULTIPLE", [
    importing("COAREA", CHAR(4), optional=False, text="Controlling area"),
    importing("TESTRUN", CHAR(1), text="X: check only, create nothing"),
    importing("LANGUAGE", BAPI0015_10, text="Language of the texts"),
    tables(LIST, BAPI1031_ATINPUTLIST, optional=False, text="Activity types to create"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Create activity types"))
def create_multiple(ctx: CallContext, COAREA: str, TESTRUN: str, LANGUAGE: dict[str, Any],
                    ACTIVITYTYPELIST: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                    ) -> dict[str, Any]:
    problems = Problems(ctx, LIST)
    area = check_area(ctx, COAREA, "COAREA", problems)
    if not ACTIVITYTYPELIST:
        problems.error("KO", "911", LIST)
    rows: list[dict[str, Any]] = []
    for number, item in enumerate(ACTIVITYTYPELIST, start=1):
        row = _check(ctx, area, item, number, rows, problems)
        if row is not None:
            rows.append(row)
    if not problems.failed and TESTRUN != "X":
        today, spras = ctx.clock.today().strftime("%Y%m%d"), language(LANGUAGE)
        for row in rows:
            text = {"KTEXT": row.pop("KTEXT"), "LTEXT": row.pop("LTEXT")}
            ctx.insert(CSLA, {**row, "ERSDA": today})
            ctx.insert(CSLT, {"SPRAS": spras, "KOKRS": row["KOKRS"], "LSTAR": row["LSTAR"],
                              "DATBI": row["DATBI"], **text})
    test_run_or_saved(problems, TESTRUN, len(ACTIVITYTYPELIST),
                      [("KL", "902", (row["LSTAR"], row["KOKRS"])) for row in rows])
    RETURN[:] = problems.rows
    return {LIST: ACTIVITYTYPELIST, "RETURN": RETURN}


def _check(ctx: CallContext, area: Any, item: dict[str, Any], row: int,
           accepted: list[dict[str, Any]], problems: Problems) -> dict[str, Any] | None:
    lstar, latyp = item["ACTTYPE"].upper(), item["ACTTYPE_CATEGORY"]
    for field in ("ACTTYPE", "NAME", "ACTTYPE_UNIT", "ACTTYPE_CATEGORY"):
        if not item[field]:
            problems.required(field, row)
    dates = validity(item, row, problems)
    for field in ("ACTTYPE_CATEGORY", "ACT_CAT_ACTUAL"):
        if item[field] and item[field] not in CATEGORIES:
            problems.error("KL", "904", item[field], row=row, field=field)
    if area is None or not lstar or dates is None:
        return None
    (datab, datbi), kokrs = dates, area.KOKRS
    existing = overlapping(ctx.buffered(CSLA).where(KOKRS=kokrs, LSTAR=lstar), datab, datbi)
    if existing is not None:
        problems.error("KL", "901", lstar, kokrs, existing.DATAB, existing.DATBI, row=row,
                       field="ACTTYPE")
    if any(other["LSTAR"] == lstar for other in accepted):
        problems.error("KL", "905", lstar, LIST, row=row, field="ACTTYPE")
    vksta = alpha(item["ALLOC_COST_ELEM"], 10) if item["ALLOC_COST_ELEM"] else ""
    if not vksta and latyp in ("1", "2", "3"):
        problems.required("ALLOC_COST_ELEM", row)
    elif vksta:
        element = cost_element(ctx, kokrs, vksta, datab)
        if element is None or element.KATYP != ACTIVITY_ALLOCATION:
            problems.error("KL", "903", vksta, kokrs, datab, row=row, field="ALLOC_COST_ELEM")
    return {"KOKRS": kokrs, "LSTAR": lstar, "DATBI": datbi, "DATAB": datab,
            "LEINH": item["ACTTYPE_UNIT"], "LATYP": latyp,
            "LATYPI": item["ACT_CAT_ACTUAL"] or latyp, "KSTTY": item["CCTR_CATEGORIES"],
            "VKSTA": vksta, "TARKZ": item["PRICE_INDICATOR"],
            "KTEXT": item["NAME"], "LTEXT": item["DESCRIPT"] or item["NAME"]}


@master_group.function(interface("BAPI_ACTTYPE_GETDETAIL", [
    importing("CONTROLLINGAREA", CHAR(4), optional=False, text="Controlling area"),
    importing("ACTIVITYTYPE", CHAR(6), optional=False, text="Activity type"),
    importing("KEYDATE", DATS, text="Key date (blank: today)"),
    importing("LANGUAGE", BAPI0015_10, text="Language of the texts"),
    exporting("ACTIVITYTYPEDETAIL", BAPI1031_ATOUTPUTLIST, "Activity type master data"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Activity type master data on a key date"))
def get_detail(ctx: CallContext, CONTROLLINGAREA: str, ACTIVITYTYPE: str, KEYDATE: str,
               LANGUAGE: dict[str, Any], RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    problems = Problems(ctx, "")
    lstar = ACTIVITYTYPE.upper()
    result: dict[str, Any] = {}
    if check_area(ctx, CONTROLLINGAREA, "CONTROLLINGAREA", problems) is not None:
        csla = valid_activity_type(ctx, CONTROLLINGAREA, lstar, KEYDATE or None)
        if csla is None:
            problems.error("KL", "906", lstar, CONTROLLINGAREA, KEYDATE or "today",
                           parameter="ACTIVITYTYPE")
        else:
            text = texts(ctx, CSLT, language(LANGUAGE), [lstar], ("LSTAR", "DATBI"),
                          KOKRS=CONTROLLINGAREA).get(
                (lstar, csla.DATBI))
            result["ACTIVITYTYPEDETAIL"] = _output(csla, text)
    RETURN[:] = problems.rows
    result["RETURN"] = RETURN
    return result


@master_group.function(interface("BAPI_ACTTYPE_GETLIST", [
    importing("CONTROLLINGAREA", CHAR(4), optional=False, text="Controlling area"),
    importing("DATE", DATS, text="Valid on (blank: any validity)"),
    importing("ACTIVITYTYPE_FROM", CHAR(6), text="Activity types from"),
    importing("ACTIVITYTYPE_TO", CHAR(6), text="Activity types to"),
    tables(LIST, BAPI1031_ATOUTPUTLIST, text="Activity types found"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Activity types of a controlling area"))
def get_list(ctx: CallContext, CONTROLLINGAREA: str, DATE: str, ACTIVITYTYPE_FROM: str,
             ACTIVITYTYPE_TO: str, ACTIVITYTYPELIST: list[dict[str, Any]],
             RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    problems = Problems(ctx, "")
    found: list[Any] = []
    if check_area(ctx, CONTROLLINGAREA, "CONTROLLINGAREA", problems) is not None:
        low = ACTIVITYTYPE_FROM.upper()
        high = ACTIVITYTYPE_TO.upper() or low or "\uffff"
        found = [row for row in ctx.buffered(CSLA).where(KOKRS=CONTROLLINGAREA)
                 if low <= row.LSTAR <= high and (not DATE or row.DATAB <= DATE <= row.DATBI)]
        if not found:
            problems.add("I", "KL", "907", CONTROLLINGAREA)
    names = texts(ctx, CSLT, "", [row.LSTAR for row in found], ("LSTAR", "DATBI"),
                  KOKRS=CONTROLLINGAREA)
    ACTIVITYTYPELIST[:] = [_output(row, names.get((row.LSTAR, row.DATBI))) for row in found]
    RETURN[:] = problems.rows
    return {LIST: ACTIVITYTYPELIST, "RETURN": RETURN}


def _output(csla: Any, text: Any) -> dict[str, Any]:
    return {"CO_AREA": csla.KOKRS, "ACTTYPE": csla.LSTAR, "VALID_FROM": csla.DATAB,
            "VALID_TO": csla.DATBI, "NAME": text.KTEXT if text else "",
            "DESCRIPT": text.LTEXT if text else "", "ACTTYPE_UNIT": csla.LEINH,
            "CCTR_CATEGORIES": csla.KSTTY, "ACTTYPE_CATEGORY": csla.LATYP,
            "ACT_CAT_ACTUAL": csla.LATYPI, "ALLOC_COST_ELEM": csla.VKSTA,
            "PRICE_INDICATOR": csla.TARKZ}


