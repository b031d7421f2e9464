"""The mm application's seed: the data set's plants, movement types, GM codes, account
determination and demo materials written into SAP's tables (missing rows only: a changed
price in the data set does not change an existing MBEW row).

Authoring format (mm/demo.toml, merged with `[erp] customizing = DIR`):

    [plants.1000]  name, company_code, storage_locations = {LGORT = text}
                                            -> T001W (BWKEY = WERKS), T001K, T001L
    [gm_codes."03"]  transaction, document_type, number_range, requires
                                            -> T158G, T158
    [movement_types."201"]  text, gm_codes, stock (+, -, transfer), requires, offset
                                            -> T156, T156T, T158B
    [mm_transactions.VL02N]  document_type, number_range, requires  (no GM code)
                                            -> T158; movement_types.*.transactions -> T158B
    [mm_accounts.INT]  BSX = account, "GBB-VBR" = account (key-modifier)
                                            -> T030 (chart INT)
    [materials.RM-1000]  text, type, group, base_unit, plants, price, price_unit
                                            -> MARA, MAKT, MARC, MBEW
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.mm.customizing import (
    T001K,
    T001L,
    T001W,
    T030,
    T156,
    T156T,
    T158,
    T158B,
    T158G,
)
from sapgw.erp_stub.mm.tables import MAKT, MARA, MARC, MBEW

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem

LANGUAGE = "E"
_SHKZG = {"+": "S", "-": "H", "transfer": "H"}


def seed_mm(system: ErpSystem, data: DataSet) -> None:
    _organization(system, data.table("plants"))
    _movements(system, data.table("gm_codes"), data.table("movement_types"),
               data.table("mm_transactions"))
    system.seed_rows(T030, [
        {"KTOPL": ktopl, "KTOSL": key.partition("-")[0], "BWMOD": "",
         "KOMOK": key.partition("-")[2], "BKLAS": "", "KONTS": alpha(gl, 10),
         "KONTH": alpha(gl, 10)}
        for ktopl, accounts in data.table("mm_accounts").items()
        for key, gl in accounts.items()])
    _materials(system, data.table("materials"))


def _organization(system: ErpSystem, plants: dict[str, Any]) -> None:
    system.seed_rows(T001W, [{"WERKS": werks, "NAME1": spec.get("name", "")[:30],
                              "BWKEY": werks} for werks, spec in plants.items()])
    system.seed_rows(T001K, [{"BWKEY": werks, "BUKRS": spec.get("company_code", ""),
                              "BWMOD": ""} for werks, spec in plants.items()])
    system.seed_rows(T001L, [{"WERKS": werks, "LGORT": lgort, "LGOBE": text[:16]}
                             for werks, spec in plants.items()
                             for lgort, text in spec.get("storage_locations", {}).items()])


def _movements(system: ErpSystem, gm_codes: dict[str, Any],
               movement_types: dict[str, Any], transactions: dict[str, Any]) -> None:
    """T158G/T158 for the GM codes, T158 for the transactions posted without one (VL02N's
    goods issue for a delivery), T156/T156T and T158B for the movement types."""
    tcodes = {code: spec["transaction"] for code, spec in gm_codes.items()}
    system.seed_rows(T158G, [{"GMCODE": code, "TCODE": tcode} for code, tcode in tcodes.items()])
    controls = {**{tcodes[code]: spec for code, spec in gm_codes.items()}, **transactions}
    system.seed_rows(T158, [
        {"TCODE": tcode, "VGART": spec.get("document_type", "WA"),
         "NUMKR": spec.get("number_range", "01"), "REQFIELDS": " ".join(spec.get("requires", []))}
        for tcode, spec in controls.items()])
    system.seed_rows(T156, [
        {"BWART": bwart, "SHKZG": _SHKZG[spec["stock"]],
         "XUMLG": "X" if spec["stock"] == "transfer" else "",
         "KTOSL": spec.get("offset", "").partition("-")[0],
         "KOMOK": spec.get("offset", "").partition("-")[2],
         "REQFIELDS": " ".join(spec.get("requires", []))}
        for bwart, spec in movement_types.items()])
    system.seed_rows(T156T, [{"SPRAS": LANGUAGE, "BWART": bwart,
                              "BTEXT": spec.get("text", "")[:20]}
                             for bwart, spec in movement_types.items()])
    system.seed_rows(T158B, [{"TCODE": tcodes[code], "BWART": bwart}
                             for bwart, spec in movement_types.items()
                             for code in spec.get("gm_codes", []) if code in tcodes])
    system.seed_rows(T158B, [{"TCODE": tcode, "BWART": bwart}
                             for bwart, spec in movement_types.items()
                             for tcode in spec.get("transactions", []) if tcode in transactions])


def _materials(system: ErpSystem, materials: dict[str, Any]) -> None:
    """MM01 for the data set's materials: MARA, MAKT, and MARC/MBEW per plant."""
    today = system.clock.today().strftime("%Y%m%d")
    specs = {alpha(key, 18): spec for key, spec in materials.items()}
    system.seed_rows(MARA, [{"MATNR": matnr, "MTART": spec.get("type", ""),
                             "MATKL": spec.get("group", ""), "MEINS": spec["base_unit"],
                             "ERSDA": today} for matnr, spec in specs.items()])
    system.seed_rows(MAKT, [{"MATNR": matnr, "SPRAS": LANGUAGE,
                             "MAKTX": spec.get("text", "")[:40]}
                            for matnr, spec in specs.items()])
    system.seed_rows(MARC, [{"MATNR": matnr, "WERKS": werks}
                            for matnr, spec in specs.items() for werks in spec.get("plants", [])])
    system.seed_rows(MBEW, [{"MATNR": matnr, "BWKEY": werks, "VPRSV": "S",
                             "STPRS": Decimal(str(spec.get("price", "0"))),
                             "PEINH": Decimal(str(spec.get("price_unit", 1)))}
                            for matnr, spec in specs.items() for werks in spec.get("plants", [])])
