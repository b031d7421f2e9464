"""Settlement's seed: profiles, receiver types, allocation structures, posting rules and
strategy sequences of the data set written into TKB1A, ZKB1_RECEIVERS, ZKB5_ASSIGN,
ZKKA_POSTING and ZKB_STRATEGY (missing rows only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.ra import api as ra
from sapgw.erp_stub.settlement.tables import (
    TKB1A,
    ZKB1_RECEIVERS,
    ZKB5_ASSIGN,
    ZKB_STRATEGY,
    ZKKA_POSTING,
)

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem

USAGE = {"required": "1", "optional": "2", "not allowed": "3"}


def seed(system: ErpSystem, data: DataSet) -> None:
    profiles = data.table("settlement_profiles")
    system.seed_rows(TKB1A, [{
        "APROF": name, "TXT": spec.get("text", "")[:40],
        "ABSCH": spec.get("allocation_structure", ""),
        "ERSCH": spec.get("pa_transfer_structure", ""),
        "BLART": spec.get("document_type", "SA"),
        "XCOSA": "X" if spec.get("cost_of_sales", True) else ""}
        for name, spec in profiles.items()])
    system.seed_rows(ZKB1_RECEIVERS, [
        {"APROF": name, "KONTY": konty, "VERWE": USAGE[usage]}
        for name, spec in profiles.items()
        for konty, usage in spec.get("receivers", {}).items()])
    assignments = []
    for name, spec in data.table("allocation_structures").items():
        for low, high, konty, kstar in spec.get("assignments", []):
            assignments.append({"KOKRS": spec["controlling_area"], "ABSCH": name,
                                "KSTAB": alpha(low, 10), "KONTY": konty,
                                "KSTBI": alpha(high, 10), "KSTAR": alpha(kstar, 10)
                                if kstar else ""})
    system.seed_rows(ZKB5_ASSIGN, assignments)
    system.seed_rows(ZKKA_POSTING, [{
        "KOKRS": spec["controlling_area"], "BUKRS": spec["company_code"],
        "VERSN": spec["version"], "ABKAT": ra.Category[category].value,
        "HKONT_B": alpha(accounts[0], 10), "HKONT_P": alpha(accounts[1], 10)}
        for spec in data.table("ra_posting_rules").values()
        for category, accounts in spec.get("rules", {}).items()])
    system.seed_rows(ZKB_STRATEGY, [{
        "SRSLIST": name, "SEQNR": f"{number:03d}", "STRAT": step["strategy"],
        "PERBZ": step.get("settlement_type", "GES")}
        for name, spec in data.table("strategy_sequences").items()
        for number, step in enumerate(spec.get("steps", []), start=1)])
