"""SD's seed: the data set's sales document types, item categories, billing types and revenue
account determination written into TVAK/TVAKT, TVAP/TVAPT, T184, TVFK/TVFKT and C001
(missing rows only).

Authoring format (sd/demo.toml, merged with `[erp] customizing = DIR`):

    [sales_document_types.TA]  text, number_range, billing_type, delivery_billing_type,
                               item_category           -> TVAK, TVAKT, T184 (NORM)
    [item_categories.TAD]      text, billing (order, delivery, none), pricing
                                                       -> TVAP, TVAPT
    [billing_types.F2]         text, number_range, document_type, procedure -> TVFK, TVFKT
    [revenue_accounts.INT]     "KOFK/1000/01/ERL" = account (type/sales org/customer
                               group, blank for the general access/account key) -> C001
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.messages import LANGUAGE
from sapgw.erp_stub.sd.control import SALES_APPLICATION
from sapgw.erp_stub.sd.customizing import C001, T184, TVAK, TVAKT, TVAP, TVAPT, TVFK, TVFKT

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem

FKREL = {"order": "B", "delivery": "A", "none": ""}


def seed_sd(system: ErpSystem, data: DataSet) -> None:
    types = data.table("sales_document_types")
    system.seed_rows(TVAK, [{"AUART": auart, "VBTYP": "C",
                             "NUMKI": spec.get("number_range", "01"),
                             "FKARA": spec.get("billing_type", ""),
                             "FKARV": spec.get("delivery_billing_type", "")}
                            for auart, spec in types.items()])
    system.seed_rows(TVAKT, [{"SPRAS": LANGUAGE, "AUART": auart,
                              "BEZEI": spec.get("text", "")[:20]}
                             for auart, spec in types.items()])
    system.seed_rows(T184, [{"AUART": auart, "MTPOS": "NORM", "VWPOS": "", "UEPST": "",
                             "PSTYV": spec["item_category"]}
                            for auart, spec in types.items() if spec.get("item_category")])
    categories = data.table("item_categories")
    system.seed_rows(TVAP, [{"PSTYV": pstyv, "FKREL": FKREL[spec.get("billing", "order")],
                             "PRSFD": "X" if spec.get("pricing", True) else ""}
                            for pstyv, spec in categories.items()])
    system.seed_rows(TVAPT, [{"SPRAS": LANGUAGE, "PSTYV": pstyv,
                              "VTEXT": spec.get("text", "")[:20]}
                             for pstyv, spec in categories.items()])
    billing = data.table("billing_types")
    system.seed_rows(TVFK, [{"FKART": fkart, "VBTYP": spec.get("category", "M"),
                             "NUMKI": spec.get("number_range", "19"),
                             "BLART": spec.get("document_type", "RV"),
                             "KOFIS": spec.get("procedure", "KOFI00")}
                            for fkart, spec in billing.items()])
    system.seed_rows(TVFKT, [{"SPRAS": LANGUAGE, "FKART": fkart,
                              "VTEXT": spec.get("text", "")[:20]}
                             for fkart, spec in billing.items()])
    system.seed_rows(C001, [_account(ktopl, key, account)
                            for ktopl, accounts in data.table("revenue_accounts").items()
                            for key, account in accounts.items()])


def _account(ktopl: str, key: str, account: str) -> dict[str, Any]:
    parts = key.split("/")
    if len(parts) != 4:
        raise ValueError(f"revenue account key {key!r} of the data set is not "
                         "type/sales organization/customer group/account key")
    kschl, vkorg, ktgrd, kvsl = parts
    return {"KAPPL": SALES_APPLICATION, "KSCHL": kschl, "KTOPL": ktopl, "VKORG": vkorg,
            "KTGRD": ktgrd, "KTGRM": "", "KVSL": kvsl, "SAKN1": alpha(account, 10),
            "SAKN2": ""}
