"""FI-CA's seed: the data set's revenue accounting customizing and posting areas written
into TFKRA_ACT, TFK_RA_SERVTYP, TFK_RA_CONDTYP, TFK_RA_CHRSN, TFK033F and TFK033D (missing
rows only). The authoring format is described in fica/demo.toml's comments:

    [fica_ra_integration.C]    active, destination, source_component, processing_level
    [fica_service_types.X]     text, category (R/O/U), condition_type,
                               ssp_condition_type, invoice
    [fica_condition_types.X]   text, role (P/S), statistic
    [fica_change_reasons.X]    text, new_contract
    [fica_exception_reasons.X] text
    [fica_posting_areas.NNNN]  text, keys, results, chart_of_accounts,
                               rows = { "K1/K2/…" = [result, …] }
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sapgw.erp_stub.fica.customizing import (
    CONVERGENT,
    TFK033D,
    TFK033F,
    TFK8105E,
    TFK_RA_CHRSN,
    TFK_RA_CONDTYP,
    TFK_RA_SERVTYP,
    TFKRA_ACT,
)
from sapgw.erp_stub.fica.posting_areas import FUN_COLUMNS, KEY_COLUMNS

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem


def _flag(value: Any) -> str:
    return "X" if value else ""


def seed_fica(system: ErpSystem, data: DataSet) -> None:
    system.seed_rows(TFKRA_ACT, [{
        "APPLK": applk, "XACTIVE": _flag(spec.get("active")),
        "RFCDEST": spec.get("destination", ""), "SRCDOC_COMP": spec.get("source_component", ""),
        "PROC_LEVEL": str(spec.get("processing_level", "1"))}
        for applk, spec in data.table("fica_ra_integration").items()])
    system.seed_rows(TFK_RA_SERVTYP, [{
        "SERVICE_TYPE": code, "SRVTY_CAT": spec["category"],
        "COND_TYPE": spec.get("condition_type", ""),
        "SSP_COND_TYPE": spec.get("ssp_condition_type", ""),
        "XINVOICE": _flag(spec.get("invoice")), "TEXT": spec.get("text", "")[:40]}
        for code, spec in data.table("fica_service_types").items()])
    system.seed_rows(TFK_RA_CONDTYP, [{
        "CONDITION_TYPE": code, "COND_ROLE": spec["role"],
        "STATISTIC": _flag(spec.get("statistic")), "TEXT": spec.get("text", "")[:30]}
        for code, spec in data.table("fica_condition_types").items()])
    system.seed_rows(TFK_RA_CHRSN, [{
        "CHRSN": code, "XNEWCONTRACT": _flag(spec.get("new_contract")),
        "TEXT": spec.get("text", "")[:40]}
        for code, spec in data.table("fica_change_reasons").items()])
    system.seed_rows(TFK8105E, [{"EXCREASON": code, "TEXT": spec.get("text", "")[:40]}
                                for code, spec in data.table("fica_exception_reasons").items()])
    areas = data.table("fica_posting_areas")
    system.seed_rows(TFK033F, [{
        "APPLK": CONVERGENT, "BUBER": buber, "KEY_FIELDS": ",".join(spec["keys"]),
        "FUN_FIELDS": ",".join(spec["results"]), "TEXT": spec.get("text", "")[:60]}
        for buber, spec in areas.items()])
    system.seed_rows(TFK033D, [_row(buber, spec, key, results)
                               for buber, spec in areas.items()
                               for key, results in spec.get("rows", {}).items()])


def _row(buber: str, spec: dict[str, Any], key: str, results: list[str]) -> dict[str, Any]:
    keys = key.split("/")
    if len(keys) > len(spec["keys"]) or len(results) > len(spec["results"]):
        raise ValueError(f"posting area {buber}: row {key!r} has more keys or results than "
                         f"its fields {spec['keys']} -> {spec['results']}")
    keys += [""] * (len(KEY_COLUMNS) - len(keys))
    results = list(results) + [""] * (len(FUN_COLUMNS) - len(results))
    return {"APPLK": CONVERGENT, "BUBER": buber, "KTOPL": spec.get("chart_of_accounts", ""),
            **dict(zip(KEY_COLUMNS, keys, strict=True)),
            **dict(zip(FUN_COLUMNS, results, strict=True))}
