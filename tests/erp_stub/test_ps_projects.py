"""Trade promotions arriving as PS projects (CRM_MKTPL_R3_IN) and the CJ20N-like display."""

from typing import Any

from sqlalchemy import select

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.erp_stub.ps.projects import project_with_wbs
from sapgw.erp_stub.ps.tables import PROJ, PRPS
from sapgw.types import RfcCall

PROMOTION = {"TPM_ID": "TPM-4711", "DESCRIPTION": "Summer promotion", "COMP_CODE": "1000",
             "SALES_ORG": "1000", "VALID_FROM": "20261201", "VALID_TO": "20261231"}


def rows(erp: ErpSystem, model: Any) -> list[dict[str, Any]]:
    table = model.__table__
    with erp.db.read() as conn:
        return [dict(r) for r in conn.execute(select(table)).mappings()]


def send(conn: LocalConnection, **changes: Any) -> list[dict[str, Any]]:
    result = conn.call("CRM_MKTPL_R3_IN", IS_MKTPL={**PROMOTION, **changes})
    conn.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
    return result["RETURN"]


def test_promotion_creates_project_and_wbs_element(erp: ErpSystem, conn: LocalConnection
                                                   ) -> None:
    messages = send(conn)

    assert [(m["TYPE"], m["ID"], m["NUMBER"]) for m in messages] == [("S", "CRM_MKTPL", "001")]
    assert "TPM-4711" in messages[0]["MESSAGE"]
    [proj] = rows(erp, PROJ)
    assert proj["PSPID"] == "TPM-4711"
    assert proj["POST1"] == "Summer promotion"
    assert (proj["VBUKR"], proj["VKOKR"]) == ("1000", "1000")
    assert (proj["PLFAZ"], proj["PLSEZ"]) == ("20261201", "20261231")
    assert proj["OBJNR"] == "PD" + proj["PSPNR"]
    assert proj["ERDAT"] == "20261122"
    [wbs] = rows(erp, PRPS)
    assert wbs["POSID"] == "TPM-4711.01"
    assert wbs["PSPHI"] == proj["PSPNR"]
    assert wbs["OBJNR"] == "PR" + wbs["PSPNR"]
    assert (wbs["PBUKR"], wbs["PKOKR"]) == ("1000", "1000")


def test_resent_promotion_updates_and_does_not_duplicate(erp: ErpSystem, conn: LocalConnection
                                                         ) -> None:
    send(conn)
    messages = send(conn, DESCRIPTION="Summer promotion, extended", VALID_TO="20270115")

    assert [(m["TYPE"], m["NUMBER"]) for m in messages] == [("S", "002")]
    [proj] = rows(erp, PROJ)
    assert proj["POST1"] == "Summer promotion, extended"
    assert proj["PLSEZ"] == "20270115"
    [wbs] = rows(erp, PRPS)
    assert wbs["POST1"] == "Summer promotion, extended"


def test_promotion_in_a_trfc_unit_runs_once(erp: ErpSystem) -> None:
    call = RfcCall("CRM_MKTPL_R3_IN", {"IS_MKTPL": PROMOTION})
    assert erp.execute_unit("0A1B2C3D4E5F0A1B2C3D4E5F", [call]) is True
    assert erp.execute_unit("0A1B2C3D4E5F0A1B2C3D4E5F", [call]) is False
    assert erp.execute_unit("FFFFFFFFFFFFFFFFFFFFFFFF", [call]) is True  # a re-send
    assert len(rows(erp, PROJ)) == 1
    assert len(rows(erp, PRPS)) == 1


def test_unknown_company_code_is_an_error(erp: ErpSystem, conn: LocalConnection) -> None:
    messages = send(conn, COMP_CODE="9999")

    assert [(m["TYPE"], m["ID"], m["NUMBER"], m["FIELD"]) for m in messages] == [
        ("E", "F5", "165", "COMP_CODE")]
    assert rows(erp, PROJ) == []


def test_promotion_ending_before_it_starts_is_an_error(erp: ErpSystem, conn: LocalConnection
                                                      ) -> None:
    messages = send(conn, VALID_FROM="20270101")

    assert [(m["TYPE"], m["NUMBER"]) for m in messages] == [("E", "004")]
    assert rows(erp, PROJ) == []


def test_project_display(erp: ErpSystem, conn: LocalConnection) -> None:
    send(conn)
    info = conn.call("BAPI_PROJECT_GETINFO", PROJECT_DEFINITION="TPM-4711")

    assert info["RETURN"]["TYPE"] == ""
    assert info["E_PROJECT_DEFINITION"]["DESCRIPTION"] == "Summer promotion"
    assert info["E_PROJECT_DEFINITION"]["START"] == "20261201"
    assert [w["WBS_ELEMENT"] for w in info["E_WBS_ELEMENT_TABLE"]] == ["TPM-4711.01"]
    shown = project_with_wbs(CallContext(erp, Luw()), "TPM-4711")
    assert shown is not None
    assert [w["POSID"] for w in shown["WBS_ELEMENTS"]] == ["TPM-4711.01"]


def test_display_of_a_missing_project(conn: LocalConnection) -> None:
    info = conn.call("BAPI_PROJECT_GETINFO", PROJECT_DEFINITION="NOPE")

    assert (info["RETURN"]["TYPE"], info["RETURN"]["ID"], info["RETURN"]["NUMBER"]) == (
        "E", "CJ", "011")
    assert info["E_WBS_ELEMENT_TABLE"] == []
