"""BAPI_INTERNALORDER_CREATE: create, test run, and the errors with their fields."""

from typing import Any

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.co.tables import AUFK
from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.test_fi_post import codes, rows

MASTER = {"ORDER_TYPE": "SAPS", "ORDER_NAME": "Fund usage 1791/10", "CO_AREA": "1000"}


def create(conn: LocalConnection, **params: Any) -> dict[str, Any]:
    result = conn.call("BAPI_INTERNALORDER_CREATE", **{"I_MASTER_DATA": MASTER, **params})
    conn.call("BAPI_TRANSACTION_COMMIT")
    return result


def test_order_is_created_at_commit(erp: ErpSystem, conn: LocalConnection) -> None:
    result = conn.call("BAPI_INTERNALORDER_CREATE", I_MASTER_DATA=MASTER)
    assert rows(erp, AUFK) == []
    conn.call("BAPI_TRANSACTION_COMMIT")

    assert result["ORDERID"] == "000000100000"
    assert codes(result["RETURN"]) == [("S", "KO", "107")]
    assert result["RETURN"][0]["MESSAGE_V1"] == "000000100000"
    assert result["E_MASTER_DATA"] == {**MASTER, "ORDER": "000000100000", "COMP_CODE": "1000",
                                       "CURRENCY": "EUR"}
    [aufk] = rows(erp, AUFK)
    assert (aufk["AUART"], aufk["KTEXT"], aufk["BUKRS"], aufk["OBJNR"]) == (
        "SAPS", "Fund usage 1791/10", "1000", "OR000000100000")


def test_test_run_creates_nothing(erp: ErpSystem, conn: LocalConnection) -> None:
    result = create(conn, TESTRUN="X")

    assert codes(result["RETURN"]) == [("S", "KO", "497")]
    assert result["ORDERID"] == "" and rows(erp, AUFK) == []


def test_errors_name_their_fields(erp: ErpSystem, conn: LocalConnection) -> None:
    result = create(conn, I_MASTER_DATA={"ORDER_TYPE": "ZZZZ", "COMP_CODE": "9999"},
                    SRULES=[{"SETTL_TYPE": "FUL", "PERCENTAGE": "100",
                             "COSTCENTER": "0000001000"}])

    assert [(m["ID"], m["NUMBER"], m["PARAMETER"], m["ROW"], m["FIELD"])
            for m in result["RETURN"]] == [
        ("KO", "901", "I_MASTER_DATA", 0, "ORDER_TYPE"),
        ("KO", "904", "I_MASTER_DATA", 0, "CO_AREA"),
        ("KO", "906", "I_MASTER_DATA", 0, "COMP_CODE"),  # CO knows it by TKA02
        ("KO", "903", "SRULES", 1, ""),
    ]
    assert result["ORDERID"] == "" and rows(erp, AUFK) == []


def test_company_code_must_belong_to_the_controlling_area(conn: LocalConnection) -> None:
    result = create(conn, I_MASTER_DATA={**MASTER, "CO_AREA": "2000", "COMP_CODE": "1000"})

    assert codes(result["RETURN"]) == [("E", "KO", "905"), ("E", "KO", "902")]
