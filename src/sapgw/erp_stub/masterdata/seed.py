"""The masterdata application's seed: the data set's organisational units, account groups and
demo partners written into SAP's tables (missing rows only).

Authoring format (masterdata/demo.toml, merged with `[erp] customizing = DIR`):

    [sales_organizations.1000]  text, company_code, currency        -> TVKO, TVKOT
    [sales_areas."1000/10/00"]  text                                -> TVTA
    [purchasing_organizations.1000]  text, company_code             -> T024E
    [customer_account_groups."0001"]  text, number_range            -> T077D, T077X
    [vendor_account_groups."0001"]    (the same)                    -> T077K, T077Y
    [customers."0000001000"]  name, account_group, city, country, language, search_term,
                              company_codes, reconciliation_account -> KNA1, KNB1
    [vendors."0000002000"]    (the same)                            -> LFA1, LFB1
    [dunning_procedures."0001"]  text                               -> T047A

A demo partner is an ordinary master record once it is written: DEBMAS/CREMAS may change it
and FI posts to it through KNB1/LFB1. A partner that exists already is left as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.masterdata import crm_delta
from sapgw.erp_stub.masterdata.customizing import (
    T024E,
    T077D,
    T077K,
    T077X,
    T077Y,
    TVKO,
    TVKOT,
    TVTA,
)
from sapgw.erp_stub.masterdata.dunning import T047A
from sapgw.erp_stub.masterdata.tables import KNA1, KNB1, LFA1, LFB1

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem

LANGUAGE = "E"
SEED_USER = "SAPGW"


def seed_masterdata(system: ErpSystem, data: DataSet) -> None:
    """Write the data set's customizing and demo partners into the application's tables."""
    organizations = data.table("sales_organizations")
    system.seed_rows(TVKO, [{"VKORG": vkorg, "BUKRS": spec.get("company_code", ""),
                             "WAERS": spec.get("currency", "")}
                            for vkorg, spec in organizations.items()])
    system.seed_rows(TVKOT, _texts("VKORG", organizations, "VTEXT", 20))
    system.seed_rows(TVTA, [_sales_area(key) for key in data.table("sales_areas")])
    system.seed_rows(T024E, [{"EKORG": ekorg, "EKOTX": spec.get("text", "")[:20],
                              "BUKRS": spec.get("company_code", "")}
                             for ekorg, spec in data.table("purchasing_organizations").items()])
    for table, texts, field, name in ((T077D, T077X, "KTOKD", "customer_account_groups"),
                                      (T077K, T077Y, "KTOKK", "vendor_account_groups")):
        groups = data.table(name)
        system.seed_rows(table, [{field: group, "NUMKR": spec.get("number_range", "")}
                                 for group, spec in groups.items()])
        system.seed_rows(texts, _texts(field, groups, "TXT30", 30))
    today = system.clock.today().strftime("%Y%m%d")
    for general, company, number, group, name in (
            (KNA1, KNB1, "KUNNR", "KTOKD", "customers"),
            (LFA1, LFB1, "LIFNR", "KTOKK", "vendors")):
        partners = {alpha(key, 10): spec for key, spec in data.table(name).items()}
        stamp = {"ERDAT": today, "ERNAM": SEED_USER}
        system.seed_rows(general, [
            {number: key, group: spec.get("account_group", ""), **_address(spec), **stamp}
            for key, spec in partners.items()])
        system.seed_rows(company, [
            {number: key, "BUKRS": bukrs,
             "AKONT": alpha(spec.get("reconciliation_account", ""), 10), **stamp}
            for key, spec in partners.items() for bukrs in spec.get("company_codes", ())])
    system.seed_rows(T047A, [{"MAHNA": key, "TEXT1": spec.get("text", "")[:30]}
                             for key, spec in data.table("dunning_procedures").items()])
    crm_delta.seed(system, data)  # CRMRFCPAR/CRMQNAMES: where customer deltas go


def _texts(field: str, entries: dict[str, Any], text_field: str, width: int
           ) -> list[dict[str, Any]]:
    return [{"SPRAS": LANGUAGE, field: key, text_field: spec.get("text", "")[:width]}
            for key, spec in entries.items()]


def _sales_area(key: str) -> dict[str, str]:
    """TVTA key from the data set's "VKORG/VTWEG/SPART"."""
    parts = key.split("/")
    if len(parts) != 3:
        raise ValueError(f"sales area {key!r} of the data set is not "
                         "sales organization/distribution channel/division")
    return dict(zip(("VKORG", "VTWEG", "SPART"), parts, strict=True))


def _address(spec: dict[str, Any]) -> dict[str, str]:
    name = spec.get("name", "")
    return {"NAME1": name[:35], "SORTL": spec.get("search_term", name[:10].upper()),
            "ORT01": spec.get("city", ""), "LAND1": spec.get("country", ""),
            "SPRAS": spec.get("language", LANGUAGE)}
