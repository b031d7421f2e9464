"""CATS's seed: the data set's employees (PA0001) and data entry profiles (TCATS); missing
rows only, so rows maintained since are kept. The number ranges are the kernel's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sapgw.erp_stub.cats.tables import HIGHEST_DATE, PA0001, TCATS
from sapgw.erp_stub.kernel.conversions import alpha

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem

LOWEST_DATE = "19000101"


def seed(system: ErpSystem, data: DataSet) -> None:
    system.seed_rows(PA0001, [_assignment(pernr, spec)
                              for pernr, spec in data.table("employees").items()])
    system.seed_rows(TCATS, [{
        "VARIANT": variant, "VTEXT": spec.get("text", "")[:40],
        "FREIGABE": "X" if spec.get("release_on_save") else "",
        "GENEHM": "X" if spec.get("approval") else "",
        "DEFLT": "X" if spec.get("default") else "",
    } for variant, spec in data.table("cats_profiles").items()])


def _assignment(pernr: str, spec: dict[str, Any]) -> dict[str, Any]:
    name = spec.get("name", "")
    return {"PERNR": pernr.zfill(8), "BEGDA": str(spec.get("valid_from", LOWEST_DATE)),
            "ENDDA": str(spec.get("valid_to", HIGHEST_DATE)),
            "BUKRS": spec.get("company_code", ""), "WERKS": spec.get("personnel_area", ""),
            "PERSG": spec.get("employee_group", "1"),
            "PERSK": spec.get("employee_subgroup", "DU"),
            "KOKRS": spec.get("controlling_area", ""),
            "KOSTL": alpha(spec.get("cost_center", ""), 10) if spec.get("cost_center") else "",
            "ORGEH": "00000000", "ENAME": name[:40], "SNAME": name.upper()[:30]}
