"""CO-PA's seed: the data set's operating concerns, value fields, record types, condition
assignment and PA transfer structures written into their tables (missing rows only).

Authoring format (copa/demo.toml, merged with `[erp] customizing = DIR`):

    [copa_operating_concerns.S001]   text, currency, fiscal_year_variant, type
                                     (costing-based), controlling_areas = [KOKRS …]
                                          -> TKEB, TKEBT, TKEBB, ZCOPA_KOKRS
    [copa_value_fields.S001]         VV010 = "text"            -> ZCOPA_VALFLD
    [copa_record_types]              F = "text"                -> ZCOPA_VRGAR
    [copa_conditions.S001]           PR00 = "VV010"            -> ZCOPA_KSCHL
    [copa_transfer_structures.SV]    text, usage (settlement/direct), operating_concern,
                                     controlling_area          -> TKB9A
    [copa_transfer_structures.SV.lines."010"]  text, value_field,
                                     cost_elements = [[from, to], …]  -> TKB9C, TKB9G, TKB9D
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sapgw.erp_stub.copa.customizing import (
    TKB9A,
    TKB9C,
    TKB9D,
    TKB9G,
    TKEB,
    TKEBB,
    TKEBT,
    ZCOPA_KOKRS,
    ZCOPA_KSCHL,
    ZCOPA_VALFLD,
    ZCOPA_VRGAR,
)
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.messages import LANGUAGE

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem

PATYPE = {"costing-based": "1", "account-based": "2", "both": "3"}
USAGE = {"settlement": "S", "direct": "D"}


def seed_copa(system: ErpSystem, data: DataSet) -> None:
    concerns = data.table("copa_operating_concerns")
    system.seed_rows(TKEB, [{"ERKRS": erkrs, "PERIV": spec.get("fiscal_year_variant", ""),
                             "WAERS": spec.get("currency", "")}
                            for erkrs, spec in concerns.items()])
    system.seed_rows(TKEBT, [{"SPRAS": LANGUAGE, "ERKRS": erkrs,
                              "ERKRS_BZ": spec.get("text", "")[:30]}
                             for erkrs, spec in concerns.items()])
    system.seed_rows(TKEBB, [{"ERKRS": erkrs,
                              "PATYPE": PATYPE[spec.get("type", "costing-based")]}
                             for erkrs, spec in concerns.items()])
    system.seed_rows(ZCOPA_KOKRS, [{"KOKRS": kokrs, "ERKRS": erkrs}
                                   for erkrs, spec in concerns.items()
                                   for kokrs in spec.get("controlling_areas", ())])
    system.seed_rows(ZCOPA_VALFLD, [
        {"ERKRS": erkrs, "FIENM": name, "KTEXT": text[:20], "LTEXT": text[:40]}
        for erkrs, fields in data.table("copa_value_fields").items()
        for name, text in fields.items()])
    system.seed_rows(ZCOPA_VRGAR, [{"VRGAR": vrgar, "TEXT": text[:40]}
                                   for vrgar, text in data.table("copa_record_types").items()])
    system.seed_rows(ZCOPA_KSCHL, [
        {"ERKRS": erkrs, "KSCHL": kschl, "FIENM": field}
        for erkrs, conditions in data.table("copa_conditions").items()
        for kschl, field in conditions.items()])
    _seed_structures(system, data.table("copa_transfer_structures"))


def _seed_structures(system: ErpSystem, structures: dict[str, Any]) -> None:
    headers, lines, sources, targets = [], [], [], []
    for ersch, spec in structures.items():
        headers.append({"ERSCH": ersch, "USAGE": USAGE[spec.get("usage", "settlement")],
                        "TEXT": spec.get("text", "")[:40]})
        for erzuo, line in spec.get("lines", {}).items():
            lines.append({"ERSCH": ersch, "ERZUO": erzuo, "TEXT": line.get("text", "")[:40]})
            targets.append({"ERSCH": ersch, "ERZUO": erzuo,
                            "ERKRS": spec.get("operating_concern", ""),
                            "FIENM": line.get("value_field", "")})
            sources += [{"ERSCH": ersch, "ERZUO": erzuo,
                         "KOKRS": line.get("controlling_area", spec.get("controlling_area", "")),
                         "VALMIN": alpha(low, 10), "VALMAX": alpha(high, 10)}
                        for low, high in line.get("cost_elements", ())]
    system.seed_rows(TKB9A, headers)
    system.seed_rows(TKB9C, lines)
    system.seed_rows(TKB9G, sources)
    system.seed_rows(TKB9D, targets)
