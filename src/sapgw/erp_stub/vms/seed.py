"""vms's seed: the data set's VMS customizing into its tables (missing rows only).

    [vms_actions.CRMV]            text, crm_relevant       -> CVLC01
    [vms_statuses]                STATUS = text            -> CVLC02
    [vms_action_matrix.VLC1]      "OLD/ACTION" = new       -> CVLC04
    [vms_badi_implementations]    BADI = "module:Class"    -> VLC_BADI
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sapgw.erp_stub.vms.tables import CVLC01, CVLC02, CVLC04, VLC_BADI

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem


def seed(system: ErpSystem, data: DataSet) -> None:
    system.seed_rows(CVLC01, [{"AKTION": aktion, "TEXT": spec.get("text", "")[:40],
                               "CRMREL": "X" if spec.get("crm_relevant") else ""}
                              for aktion, spec in data.table("vms_actions").items()])
    system.seed_rows(CVLC02, [{"STATU": status, "TEXT": str(text)[:40]}
                              for status, text in data.table("vms_statuses").items()])
    matrix = []
    for cntrl, entries in data.table("vms_action_matrix").items():
        for key, new in entries.items():
            old, _, aktion = key.partition("/")
            matrix.append({"CNTRL": cntrl, "STATU_OLD": old, "AKTION": aktion,
                           "STATU_NEW": new, "CHECKENTRY": ""})
    system.seed_rows(CVLC04, matrix)
    system.seed_rows(VLC_BADI, [{"EXIT_NAME": name, "CALLABLE": path} for name, path
                                in data.table("vms_badi_implementations").items()])
