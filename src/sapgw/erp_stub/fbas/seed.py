"""FI basis seed: the data set's company codes, fiscal year and posting period variants, document
types and G/L accounts written into T001, TKA02, T009/T009T/T009B, T010O/T001B, T003/T003T,
SKA1/SKAT/SKB1 (rows whose key is missing only: maintained rows are kept).

Posting period years in the data ("previous", "current", "next" or a number) are resolved
against the ERP clock when the rows are written, as someone maintaining OB52 that day would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sapgw.erp_stub.fbas.intervals import OpenPeriods
from sapgw.erp_stub.fbas.lookups import ACTUAL, ALL_ACCOUNT_TYPES
from sapgw.erp_stub.fbas.tables import (
    SKA1,
    SKAT,
    SKB1,
    T001,
    T001B,
    T003,
    T003T,
    T009,
    T009B,
    T009T,
    T010O,
    TKA02,
)
from sapgw.erp_stub.kernel.messages import LANGUAGE

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem

RELATIVE_YEARS = {"previous": -1, "current": 0, "next": 1}
DEFAULT_CHART = "INT"


def seed_fbas(system: ErpSystem, data: DataSet) -> None:
    companies = data.table("company_codes")
    variants = data.table("fiscal_year_variants")
    system.seed_rows(T009, [_variant(periv, spec) for periv, spec in variants.items()])
    system.seed_rows(T009T, [{"SPRAS": LANGUAGE, "PERIV": periv, "LTEXT": spec.get("text", "")[:30]}
                             for periv, spec in variants.items()])
    system.seed_rows(T009B, [row for periv, spec in variants.items()
                             for row in _period_rows(periv, spec)])
    system.seed_rows(T001, [_company(bukrs, spec) for bukrs, spec in companies.items()])
    system.seed_rows(TKA02, [{"BUKRS": bukrs, "GSBER": "", "KOKRS": spec["controlling_area"]}
                             for bukrs, spec in companies.items()
                             if spec.get("controlling_area")])
    opvars = data.table("posting_period_variants")
    system.seed_rows(T010O, [{"OPVAR": opvar} for opvar in opvars])
    today = system.clock.today().year
    system.seed_rows(T001B, [_open_periods(opvar, spec, _last(opvar, companies, variants), today)
                             for opvar, spec in opvars.items()])
    types = data.table("document_types")
    system.seed_rows(T003, [{"BLART": blart, "NUMKR": spec.get("number_range", "01")}
                            for blart, spec in types.items()])
    system.seed_rows(T003T, [{"SPRAS": LANGUAGE, "BLART": blart,
                              "LTEXT": spec.get("text", "")[:20]} for blart, spec in types.items()])
    charts, texts, local = _accounts(data.table("gl_accounts"), companies)
    system.seed_rows(SKA1, charts)
    system.seed_rows(SKAT, texts)
    system.seed_rows(SKB1, local)


def _variant(periv: str, spec: dict[str, Any]) -> dict[str, Any]:
    calendar = not spec.get("period_ends")
    return {"PERIV": periv, "XKALE": "X" if calendar else "", "XJABH": "",
            "ANZBP": f"{int(spec.get('periods', 12)):03d}",
            "ANZSP": f"{int(spec.get('special_periods', 0)):02d}"}


def _period_rows(periv: str, spec: dict[str, Any]) -> list[dict[str, Any]]:
    """T009B of a year-independent variant: `period_ends` = [[month, day, period, shift], …]."""
    return [{"PERIV": periv, "BDATJ": "0000", "BUMON": f"{month:02d}", "BUTAG": f"{day:02d}",
             "POPER": f"{period:03d}", "RELJR": str(shift)}
            for month, day, period, shift in spec.get("period_ends", [])]


def _company(bukrs: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {"BUKRS": bukrs, "BUTXT": spec.get("name", "")[:25],
            "ORT01": spec.get("city", "")[:25], "LAND1": spec.get("country", ""),
            "WAERS": spec["currency"], "SPRAS": LANGUAGE,
            "KTOPL": spec.get("chart_of_accounts", DEFAULT_CHART),
            "PERIV": spec.get("fiscal_year_variant", "K4"),
            "OPVAR": spec.get("posting_period_variant", bukrs)}


def _last(opvar: str, companies: dict[str, Any], variants: dict[str, Any]) -> int:
    """The last period (posting + special) of the variants the company codes of opvar use."""
    lasts = [int(spec.get("periods", 12)) + int(spec.get("special_periods", 0))
             for bukrs, company in companies.items()
             if company.get("posting_period_variant", bukrs) == opvar
             for periv, spec in variants.items()
             if periv == company.get("fiscal_year_variant", "K4")]
    return max(lasts, default=16)


def year(value: Any, today: int) -> int:
    if isinstance(value, str) and value in RELATIVE_YEARS:
        return today + RELATIVE_YEARS[value]
    return int(value)


def _open_periods(opvar: str, spec: dict[str, Any], last: int, today: int
                  ) -> dict[str, Any]:
    """The '+' row: open_from/1 to open_to/last, less the `closed` periods ("YYYY/MM")."""
    low, high = year(spec.get("open_from", "current"), today), year(spec.get("open_to", "next"),
                                                                    today)
    periods = OpenPeriods((((low, 1), (high, last)),), last)
    for closed in spec.get("closed", []):
        closed_year, period = str(closed).split("/")
        periods = periods.close(int(closed_year), int(period))
    return {"RRCTY": ACTUAL, "BUKRS": opvar, "MKOAR": ALL_ACCOUNT_TYPES, "BKONT": "",
            "VKONT": "", "BRGRU": "", **periods.fields()}


def _accounts(accounts: dict[str, Any], companies: dict[str, Any]
              ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """SKA1 and SKAT per chart of accounts, SKB1 per company code an account is created in."""
    charts: dict[tuple[str, str], dict[str, Any]] = {}
    texts: list[dict[str, Any]] = []
    local: list[dict[str, Any]] = []
    for saknr, spec in accounts.items():
        codes = [bukrs for bukrs in spec.get("company_codes", []) if bukrs in companies]
        chart_ids = {companies[bukrs].get("chart_of_accounts", DEFAULT_CHART) for bukrs in codes}
        for ktopl in sorted(chart_ids or {spec.get("chart_of_accounts", DEFAULT_CHART)}):
            balance_sheet = spec.get("kind", "B") == "B"
            charts[(ktopl, saknr)] = {
                "KTOPL": ktopl, "SAKNR": saknr, "XBILK": "X" if balance_sheet else "",
                "GVTYP": "" if balance_sheet else "X", "KTOKS": spec.get("account_group", ""),
                "XLOEV": "", "XSPEB": ""}
            text = spec.get("text", "")
            texts.append({"SPRAS": LANGUAGE, "KTOPL": ktopl, "SAKNR": saknr,
                          "TXT20": text[:20], "TXT50": text[:50]})
        for bukrs in codes:
            local.append({"BUKRS": bukrs, "SAKNR": saknr, "WAERS": companies[bukrs]["currency"],
                          "MITKZ": spec.get("reconciliation", ""), "XINTB": "", "XOPVW": "",
                          "XSPEB": "X" if spec.get("blocked") else "",
                          "XLOEB": "X" if spec.get("deleted") else "", "FSTAG": ""})
    return list(charts.values()), texts, local
