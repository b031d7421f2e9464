"""CO's seed: the data set's controlling areas, cost centers, cost elements, activity types,
order types and planned activity prices written into TKA01, CSKS/CSKT, CSKA/CSKB/CSKU,
CSLA/CSLT, T003O/T003P and ZCO_ACT_PRICE, and the system statuses into TJ02.

Only missing rows are written (`ErpSystem.seed_rows`), so a database of an older release gets
the new tables filled on start and rows maintained over RFC are kept. This is the only place
that reads the TOML data set; the application reads the tables.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sapgw.erp_stub.co.master_tables import (
    CSKA,
    CSKB,
    CSKS,
    CSKT,
    CSKU,
    CSLA,
    CSLT,
    HIGHEST_DATE,
    T003O,
    T003P,
    TKA01,
    ZCO_ACT_PRICE,
)
from sapgw.erp_stub.co.prices import PERIODS, PLAN_VERSION, kl_object
from sapgw.erp_stub.co.status import TJ02
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.messages import LANGUAGE

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem

LOWEST_DATE = "19000101"   # valid_from of a data set entry that names none (ours)
RELATIVE_YEARS = {"previous": -1, "current": 0, "next": 1}


def seed(system: ErpSystem, data: DataSet) -> None:
    areas = data.table("controlling_areas")
    system.seed_rows(TKA01, [{
        "KOKRS": kokrs, "BEZEI": spec.get("text", "")[:25], "WAERS": spec.get("currency", ""),
        "KTOPL": spec.get("chart_of_accounts", ""),
        "LMONA": spec.get("fiscal_year_variant", ""), "CTYP": "10",
    } for kokrs, spec in areas.items()])
    _seed_cost_centers(system, data.table("cost_centers"), areas)
    _seed_cost_elements(system, data.table("cost_elements"), areas)
    _seed_activity_types(system, data.table("activity_types"))
    order_types = data.table("order_types")
    system.seed_rows(T003O, [{"AUART": auart, "AUTYP": spec.get("category", "01"),
                              "NUMKR": spec.get("number_range", "01")}
                             for auart, spec in order_types.items()])
    _seed_activity_prices(system, data.table("activity_prices"), areas)
    system.seed_rows(T003P, [{"SPRAS": LANGUAGE, "AUART": auart, "TXT": spec.get("text", "")}
                             for auart, spec in order_types.items()])
    system.seed_rows(TJ02, [{"ISTAT": istat, "TXT04": spec["short"],
                             "TXT30": spec.get("text", "")[:30]}
                            for istat, spec in data.table("system_statuses").items()])


def _validity(spec: dict[str, Any]) -> tuple[str, str]:
    return str(spec.get("valid_from", LOWEST_DATE)), str(spec.get("valid_to", HIGHEST_DATE))


def _seed_cost_centers(system: ErpSystem, centers: dict[str, Any],
                       areas: dict[str, Any]) -> None:
    rows, texts = [], []
    for number, spec in centers.items():
        kostl, kokrs = alpha(number, 10), spec["controlling_area"]
        datab, datbi = _validity(spec)
        rows.append({"KOKRS": kokrs, "KOSTL": kostl, "DATBI": datbi, "DATAB": datab,
                     "BUKRS": spec.get("company_code", ""), "KOSAR": spec.get("category", ""),
                     "VERAK": spec.get("person_responsible", "")[:20],
                     "WAERS": spec.get("currency") or areas.get(kokrs, {}).get("currency", ""),
                     "PRCTR": spec.get("profit_center", ""),
                     "OBJNR": f"KS{kokrs}{kostl}"})
        texts.append({"SPRAS": LANGUAGE, "KOKRS": kokrs, "KOSTL": kostl, "DATBI": datbi,
                      "KTEXT": spec.get("text", "")[:20], "LTEXT": spec.get("text", "")[:40]})
    system.seed_rows(CSKS, rows)
    system.seed_rows(CSKT, texts)


def _seed_cost_elements(system: ErpSystem, elements: dict[str, Any],
                        areas: dict[str, Any]) -> None:
    per_chart, per_area, texts = [], [], []
    for number, spec in elements.items():
        kstar, kokrs = alpha(number, 10), spec["controlling_area"]
        ktopl = areas.get(kokrs, {}).get("chart_of_accounts", "")
        datab, datbi = _validity(spec)
        per_chart.append({"KTOPL": ktopl, "KSTAR": kstar})
        per_area.append({"KOKRS": kokrs, "KSTAR": kstar, "DATBI": datbi, "DATAB": datab,
                         "KATYP": spec.get("category", "01"), "MSEHI": spec.get("unit", "")})
        texts.append({"SPRAS": LANGUAGE, "KTOPL": ktopl, "KSTAR": kstar,
                      "KTEXT": spec.get("text", "")[:20], "LTEXT": spec.get("text", "")[:40]})
    system.seed_rows(CSKA, _unique(per_chart, ("KTOPL", "KSTAR")))
    system.seed_rows(CSKB, per_area)
    system.seed_rows(CSKU, _unique(texts, ("SPRAS", "KTOPL", "KSTAR")))


def _seed_activity_types(system: ErpSystem, types: dict[str, Any]) -> None:
    rows, texts = [], []
    for lstar, spec in types.items():
        kokrs = spec["controlling_area"]
        datab, datbi = _validity(spec)
        rows.append({"KOKRS": kokrs, "LSTAR": lstar, "DATBI": datbi, "DATAB": datab,
                     "LEINH": spec.get("unit", ""), "LATYP": spec.get("category", "1"),
                     "LATYPI": spec.get("category", "1"),
                     "VKSTA": alpha(spec.get("allocation_cost_element", ""), 10),
                     "TARKZ": spec.get("price_indicator", "")})
        texts.append({"SPRAS": LANGUAGE, "KOKRS": kokrs, "LSTAR": lstar, "DATBI": datbi,
                      "KTEXT": spec.get("text", "")[:20], "LTEXT": spec.get("text", "")[:40]})
    system.seed_rows(CSLA, rows)
    system.seed_rows(CSLT, texts)


def _unique(rows: list[dict[str, Any]], key: tuple[str, ...]) -> list[dict[str, Any]]:
    """One row per key (the same cost element in two controlling areas of one chart)."""
    return list({tuple(row[k] for k in key): row for row in rows}.values())


def _seed_activity_prices(system: ErpSystem, prices: dict[str, Any],
                          areas: dict[str, Any]) -> None:
    """KP26 as the data set plans it: one price for every period of each year named, the
    relative years ("current", ...) resolved against the ERP clock when the rows are written."""
    today = system.clock.today().year
    rows = []
    for spec in prices.values():
        kokrs = spec["controlling_area"]
        kostl, lstar = alpha(spec["cost_center"], 10), spec["activity_type"]
        fixed, variable = Decimal(str(spec.get("fixed", "0"))), Decimal(str(spec["variable"]))
        for named in spec.get("years", ["current"]):
            gjahr = today + RELATIVE_YEARS[named] if named in RELATIVE_YEARS else int(named)
            rows += [{"KOKRS": kokrs, "KOSTL": kostl, "LSTAR": lstar, "GJAHR": f"{gjahr:04d}",
                      "VERSN": PLAN_VERSION, "PERIO": f"{period:03d}",
                      "OBJNR": kl_object(kokrs, kostl, lstar), "TKGBTR": fixed + variable,
                      "TKFBTR": fixed, "TKEBTR": Decimal(str(spec.get("price_unit", 1))),
                      "TWAER": areas.get(kokrs, {}).get("currency", ""),
                      "AEDAT": system.clock.today().strftime("%Y%m%d")} for period in PERIODS]
    system.seed_rows(ZCO_ACT_PRICE, rows)
