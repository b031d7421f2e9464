"""IAOMC-like display: IAOM_ASSIGNMENT_GET and the Python lookups behind it."""

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.co.orders import order as co_order
from sapgw.erp_stub.iaom import assignments
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.system import LocalConnection

PROMOTION = {"TPM_ID": "TPM-4711", "DESCRIPTION": "Summer promotion", "COMP_CODE": "1000",
             "SALES_ORG": "1000", "VALID_FROM": "20261201", "VALID_TO": "20261231"}
USAGE = {"FU_ID": "1791", "TPM_ID": "TPM-4711", "COMP_CODE": "1000", "SALES_ORG": "1000",
         "CURRENCY": "EUR", "EXPENSE_TYPE": "TPM1", "DESCRIPTION": "Display allowance"}
ITEMS = [{"ITEM_ID": "10", "AMOUNT": "100.00"},
         {"ITEM_ID": "20", "AMOUNT": "50.00", "EXPENSE_TYPE": "TPM2"}]


def prepare(conn: LocalConnection) -> None:
    conn.call("CRM_MKTPL_R3_IN", IS_MKTPL=PROMOTION)
    conn.call("BAPI_TRANSACTION_COMMIT")
    conn.call("CRM_FM_ACCOUNTING_R3_IN", IS_FUND_USAGE=USAGE, IT_ITEMS=ITEMS)
    conn.call("BAPI_TRANSACTION_COMMIT")


def test_found_assignment_shows_its_order(erp: ErpSystem, conn: LocalConnection) -> None:
    prepare(conn)
    result = conn.call("IAOM_ASSIGNMENT_GET", BUS_SCENARIO_ID="CRMFM",
                       EXT_OBJECT_ID="00000000000000001791/10")

    found = result["ES_ASSIGNMENT"]
    assert result["RETURN"] == []
    assert found["CONTROLLING_TYPE"] == "S"
    assert found["AUFNR"] != ""
    assert found["OBJECT_NO"] == "OR" + found["AUFNR"]
    assert found["POSID"] == ""
    order = co_order(CallContext(erp, Luw()), found["AUFNR"])
    assert order is not None and order["AUART"] == "SAPS"


def test_found_assignment_shows_its_wbs_element(conn: LocalConnection) -> None:
    prepare(conn)
    found = conn.call("IAOM_ASSIGNMENT_GET", BUS_SCENARIO_ID="CRMFM",
                      EXT_OBJECT_ID="00000000000000001791/20")["ES_ASSIGNMENT"]

    assert (found["CONTROLLING_TYPE"], found["POSID"], found["AUFNR"]) == (
        "T", "TPM-4711.01", "")
    assert found["OBJECT_NO"].startswith("PR")


def test_missing_assignment(conn: LocalConnection) -> None:
    result = conn.call("IAOM_ASSIGNMENT_GET", BUS_SCENARIO_ID="CRMFM",
                       EXT_OBJECT_ID="00000000000000009999/10")

    [message] = result["RETURN"]
    assert (message["TYPE"], message["ID"], message["NUMBER"]) == ("E", "IAOM", "010")
    assert "00000000000000009999/10" in message["MESSAGE"]
    assert result["ES_ASSIGNMENT"]["OBJECT_NO"] == ""


def test_python_lookup_and_search(erp: ErpSystem, conn: LocalConnection) -> None:
    prepare(conn)
    ctx = CallContext(erp, Luw())

    shown = assignments.assignment(ctx, "CRMFM", "00000000000000001791/20")
    assert shown is not None and shown["POSID"] == "TPM-4711.01"
    assert assignments.assignment(ctx, "CRMFM", "00000000000000001791/30") is None
    keys = [a["EXT_OBJECT_ID"] for a in assignments.search(ctx, "CRMFM", "0000000000000000179")]
    assert keys == ["00000000000000001791/10", "00000000000000001791/20"]
    assert assignments.search(ctx, "CRMSRV") == []
    assert assignments.search(ctx, key_prefix="%") == []
