"""RA's seed: the data set's RA keys, versions, valuation rows, line IDs and update rules
written into TKKAA, TKKAP, TKKAS, TKKAZ and ZRA_UPDATE (missing rows only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.ra.tables import TKKAA, TKKAP, TKKAS, TKKAZ, ZRA_UPDATE
from sapgw.erp_stub.ra.valuation import Category

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem


def seed(system: ErpSystem, data: DataSet) -> None:
    system.seed_rows(TKKAA, [{"ABGSL": key, "TXT": spec.get("text", "")[:30]}
                             for key, spec in data.table("ra_keys").items()])
    versions = data.table("ra_versions")
    system.seed_rows(TKKAP, [{
        "KOKRS": spec["controlling_area"], "VERSN": spec["version"],
        "TXT": spec.get("text", "")[:30], "XFIBU": "X" if spec.get("financial_accounting")
        else ""} for spec in versions.values()])
    valuation, lines, updates = [], [], []
    for spec in versions.values():
        kokrs, versn = spec["controlling_area"], spec["version"]
        for key, rule in spec.get("valuation", {}).items():
            valuation.append({"KOKRS": kokrs, "VERSN": versn, "ABGSL": key, "STAT": "",
                              "ABART": "V", "BWMTD": rule["method"]})
            valuation += [{"KOKRS": kokrs, "VERSN": versn, "ABGSL": key, "STAT": status,
                           "ABART": "S", "BWMTD": rule["method"]}
                          for status in rule.get("cancel_at", [])]
        lines += [{"KOKRS": kokrs, "VERSN": versn, "KSTAB": alpha(low, 10),
                   "KSTBI": alpha(high, 10), "ABPOS": line_id, "KATEG": category}
                  for line_id, category, low, high in spec.get("line_ids", [])]
        updates += [{"KOKRS": kokrs, "VERSN": versn, "ABKAT": Category[name].value,
                     "KSTAR": alpha(kstar, 10)}
                    for name, kstar in spec.get("update_rules", {}).items()]
    system.seed_rows(TKKAS, valuation)
    system.seed_rows(TKKAZ, lines)
    system.seed_rows(ZRA_UPDATE, updates)
