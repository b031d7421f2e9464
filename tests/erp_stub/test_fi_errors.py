"""BAPI_ACC_DOCUMENT_POST failures: the RW 609 frame, then every error with where it is."""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sapgw.clock import Clock
from sapgw.erp_stub import ErpSystem, create_system
from sapgw.erp_stub.fi.tables import BKPF
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.rfc.errors import ExternalRuntimeError
from tests.erp_stub.periods import close_period
from tests.erp_stub.test_fi_post import HEADER, amount, expense, gl, post, rows

Document = dict[str, Any]


def specific(result: dict[str, Any]) -> list[tuple[str, str, str, int, str]]:
    """The errors after the frame, as (ID, NUMBER, PARAMETER, ROW, FIELD)."""
    return [(m["ID"], m["NUMBER"], m["PARAMETER"], m["ROW"], m["FIELD"])
            for m in result["RETURN"][1:]]


def change(document: Document, **changes: Any) -> Document:
    return {**document, **changes}


def with_items(*items: dict[str, Any], amounts: list[dict[str, Any]] | None = None
               ) -> Document:
    return change(expense(), ACCOUNTGL=list(items),
                  CURRENCYAMOUNT=amounts if amounts is not None else expense()["CURRENCYAMOUNT"])


CASES: dict[str, tuple[Callable[[], Document], list[tuple[str, str, str, int, str]]]] = {
    "no items": (lambda: change(expense(), ACCOUNTGL=[], CURRENCYAMOUNT=[]),
                 [("RW", "002", "ACCOUNTGL", 0, ""), ("RW", "003", "CURRENCYAMOUNT", 0, "")]),
    "unbalanced": (lambda: change(expense(), CURRENCYAMOUNT=[amount(1, "100"),
                                                             amount(2, "-90")]),
                   [("RW", "022", "CURRENCYAMOUNT", 0, "AMT_DOCCUR")]),
    "duplicate item": (lambda: with_items(gl(1, "0000400000", COSTCENTER="1000"),
                                          gl(2, "0000113100"), gl(2, "0000113100")),
                       [("RW", "014", "ACCOUNTGL", 3, "ITEMNO_ACC")]),
    "currency line without item": (
        lambda: change(expense(), CURRENCYAMOUNT=[*expense()["CURRENCYAMOUNT"],
                                                  amount(9, "0.01")]),
        [("RW", "616", "CURRENCYAMOUNT", 3, "ITEMNO_ACC")]),
    "item without currency line": (lambda: change(expense(), CURRENCYAMOUNT=[amount(1, "1")]),
                                   [("RW", "021", "ACCOUNTGL", 2, "ITEMNO_ACC")]),
    "unknown company code": (lambda: expense(COMP_CODE="9999"),
                             [("F5", "165", "DOCUMENTHEADER", 0, "COMP_CODE")]),
    "unknown G/L account": (lambda: with_items(gl(1, "0000400000", COSTCENTER="1000"),
                                               gl(2, "0000999999")),
                            [("F5", "153", "ACCOUNTGL", 2, "GL_ACCOUNT")]),
    "customer not in company code": (
        lambda: change(expense(), ACCOUNTGL=[gl(1, "0000800000")],
                       ACCOUNTRECEIVABLE=[{"ITEMNO_ACC": "2", "CUSTOMER": "0000004711"}]),
        [("F5", "102", "ACCOUNTRECEIVABLE", 1, "CUSTOMER")]),
    "vendor not in company code": (
        lambda: change(expense(), ACCOUNTGL=[gl(1, "0000400000", COSTCENTER="1000")],
                       ACCOUNTPAYABLE=[{"ITEMNO_ACC": "2", "VENDOR_NO": "0000004711"}]),
        [("F5", "104", "ACCOUNTPAYABLE", 1, "VENDOR_NO")]),
    "period outside the open years": (lambda: expense(PSTNG_DATE="20240115"),
                                      [("F5", "201", "DOCUMENTHEADER", 0, "PSTNG_DATE")]),
    "CO object missing": (lambda: expense(co={}),
                          [("KI", "235", "ACCOUNTGL", 1, "GL_ACCOUNT")]),
    "unknown cost center": (lambda: expense(co={"COSTCENTER": "0000009999"}),
                            [("KI", "100", "ACCOUNTGL", 1, "COSTCENTER")]),
    "unknown order": (lambda: expense(co={"ORDERID": "4711"}),
                      [("KO", "013", "ACCOUNTGL", 1, "ORDERID")]),
    "unknown WBS element": (lambda: expense(co={"WBS_ELEMENT": "TPM-0000-01"}),
                            [("CJ", "021", "ACCOUNTGL", 1, "WBS_ELEMENT")]),
    "unresolved IAOM key": (lambda: expense(co={"BUS_SCENARIO": "CRMFM",
                                                "EXT_OBJECT_ID": "00000000000000009999/10"}),
                            [("IAOM", "010", "ACCOUNTGL", 1, "EXT_OBJECT_ID")]),
    "two CO objects": (lambda: expense(co={"COSTCENTER": "1000", "ORDERID": "4711"}),
                       [("KI", "154", "ACCOUNTGL", 1, "ORDERID")]),
    "zero amount": (lambda: change(expense(), CURRENCYAMOUNT=[amount(1, "0.004"),
                                                              amount(2, "0")]),
                    [("F5", "706", "CURRENCYAMOUNT", 1, "AMT_DOCCUR"),
                     ("F5", "706", "CURRENCYAMOUNT", 2, "AMT_DOCCUR"),
                     ("RW", "021", "ACCOUNTGL", 1, "ITEMNO_ACC"),
                     ("RW", "021", "ACCOUNTGL", 2, "ITEMNO_ACC")]),
    "amount too large for BSEG": (lambda: expense("123456789012"),
                                  [("F5", "702", "CURRENCYAMOUNT", 1, "AMT_DOCCUR"),
                                   ("F5", "702", "CURRENCYAMOUNT", 2, "AMT_DOCCUR"),
                                   ("RW", "021", "ACCOUNTGL", 1, "ITEMNO_ACC"),
                                   ("RW", "021", "ACCOUNTGL", 2, "ITEMNO_ACC")]),
    "unknown document type": (lambda: expense(DOC_TYPE="ZZ"),
                              [("F5", "808", "DOCUMENTHEADER", 0, "DOC_TYPE")]),
    "foreign currency without local amounts": (
        lambda: change(expense(), CURRENCYAMOUNT=[amount(1, "1", "USD"), amount(2, "-1", "USD")]),
        [("RW", "904", "ACCOUNTGL", 1, "ITEMNO_ACC"), ("RW", "904", "ACCOUNTGL", 2, "ITEMNO_ACC")]),
    "local amount in another currency": (
        lambda: change(expense(), CURRENCYAMOUNT=[*expense()["CURRENCYAMOUNT"],
                                                  amount(1, "1", "USD", CURR_TYPE="10")]),
        [("F5", "705", "CURRENCYAMOUNT", 3, "CURRENCY")]),
    "two document currencies": (
        lambda: change(expense(), CURRENCYAMOUNT=[amount(1, "1"), amount(2, "-1", "USD")]),
        [("F5", "705", "CURRENCYAMOUNT", 2, "CURRENCY"),
         ("RW", "021", "ACCOUNTGL", 2, "ITEMNO_ACC")]),
    "unknown currency": (
        lambda: change(expense(), CURRENCYAMOUNT=[amount(1, "1", "XXX"), amount(2, "-1", "XXX")]),
        [("RW", "903", "CURRENCYAMOUNT", 1, "CURRENCY"), ("RW", "903", "CURRENCYAMOUNT", 2,
                                                         "CURRENCY"),
         ("RW", "021", "ACCOUNTGL", 1, "ITEMNO_ACC"), ("RW", "021", "ACCOUNTGL", 2,
                                                       "ITEMNO_ACC")]),
    "unsupported currency type": (
        lambda: change(expense(), CURRENCYAMOUNT=[*expense()["CURRENCYAMOUNT"],
                                                  amount(1, "1", CURR_TYPE="30")]),
        [("RW", "906", "CURRENCYAMOUNT", 3, "CURR_TYPE")]),
    "duplicate currency line": (
        lambda: change(expense(), CURRENCYAMOUNT=[*expense()["CURRENCYAMOUNT"], amount(2, "1")]),
        [("RW", "018", "CURRENCYAMOUNT", 3, "ITEMNO_ACC")]),
    "no posting date": (lambda: expense(PSTNG_DATE=""),
                        [("RW", "901", "DOCUMENTHEADER", 0, "PSTNG_DATE")]),
    "period not the posting date's": (lambda: expense(FIS_PERIOD="10"),
                                      [("RW", "907", "DOCUMENTHEADER", 0, "FIS_PERIOD")]),
    "parking": (lambda: expense(DOC_STATUS="2"),
                [("RW", "637", "DOCUMENTHEADER", 0, "DOC_STATUS")]),
    "external number": (lambda: expense(AC_DOC_NO="4711"),
                        [("RW", "908", "DOCUMENTHEADER", 0, "AC_DOC_NO")]),
    "sender reference without key": (lambda: expense(OBJ_TYPE="VBRK"),
                                     [("RW", "004", "DOCUMENTHEADER", 0, "OBJ_KEY")]),
    "line in another company code": (
        lambda: with_items(gl(1, "0000400000", COSTCENTER="1000"),
                           gl(2, "0000113100", COMP_CODE="2000")),
        [("RW", "905", "ACCOUNTGL", 2, "COMP_CODE")]),
    "asset line": (lambda: with_items(gl(1, "0000400000", COSTCENTER="1000"),
                                      gl(2, "0000113100", ACCT_TYPE="A")),
                   [("RW", "908", "ACCOUNTGL", 2, "ACCT_TYPE")]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_error_is_reported_where_it_is(erp: ErpSystem, conn: LocalConnection, case: str
                                       ) -> None:
    build, expected = CASES[case]
    result = post(conn, build())

    frame = result["RETURN"][0]
    assert (frame["TYPE"], frame["ID"], frame["NUMBER"]) == ("E", "RW", "609")
    assert (frame["MESSAGE_V1"], frame["MESSAGE_V2"], frame["MESSAGE_V3"]) == (
        result["OBJ_TYPE"], "$", "ERPCLNT100")
    assert specific(result) == expected
    assert all(m["TYPE"] == "E" and m["SYSTEM"] == "ERPCLNT100" for m in result["RETURN"])
    assert result["OBJ_KEY"] == "$"
    assert rows(erp, BKPF) == []


def test_failure_frame_text(conn: LocalConnection) -> None:
    result = post(conn, expense(COMP_CODE="9999"))

    assert result["RETURN"][0]["MESSAGE"] == "Error in document: BKPFF $ ERPCLNT100"
    assert result["RETURN"][1]["MESSAGE"] == "Company code 9999 is not defined"
    assert result["OBJ_TYPE"] == "BKPFF"


def test_closed_period_is_refused(erp: ErpSystem, conn: LocalConnection) -> None:
    close_period(conn, 2026, 11)

    result = post(conn, expense())

    assert specific(result) == [("F5", "201", "DOCUMENTHEADER", 0, "PSTNG_DATE")]
    assert (result["RETURN"][1]["MESSAGE_V1"], result["RETURN"][1]["MESSAGE_V2"]) == (
        "011", "2026")
    assert post(conn, expense(PSTNG_DATE="20261201"))["RETURN"][0]["NUMBER"] == "605"


def test_every_error_of_a_document_comes_at_once(erp: ErpSystem, conn: LocalConnection) -> None:
    close_period(conn, 2026, 11)
    document = {
        "DOCUMENTHEADER": {**HEADER, "DOC_TYPE": "ZZ"},
        "ACCOUNTGL": [gl(1, "0000400000"), gl(2, "0000999999"),
                      gl(3, "0000478000", COSTCENTER="9999")],
        "ACCOUNTRECEIVABLE": [{"ITEMNO_ACC": "4", "CUSTOMER": "4711"}],
        "CURRENCYAMOUNT": [amount(1, "100"), amount(2, "-50"), amount(3, "10"),
                           amount(4, "-50")],
    }

    result = post(conn, document)

    assert specific(result) == [
        ("F5", "201", "DOCUMENTHEADER", 0, "PSTNG_DATE"),
        ("F5", "808", "DOCUMENTHEADER", 0, "DOC_TYPE"),
        ("KI", "235", "ACCOUNTGL", 1, "GL_ACCOUNT"),
        ("F5", "153", "ACCOUNTGL", 2, "GL_ACCOUNT"),
        ("KI", "100", "ACCOUNTGL", 3, "COSTCENTER"),
        ("F5", "102", "ACCOUNTRECEIVABLE", 1, "CUSTOMER"),
        ("RW", "022", "CURRENCYAMOUNT", 0, "AMT_DOCCUR"),
    ]
    assert result["RETURN"][-1]["MESSAGE_V1"] == "10.00"


def test_check_reports_the_same_errors(conn: LocalConnection) -> None:
    document = expense(co={})

    checked = conn.call("BAPI_ACC_DOCUMENT_CHECK", **document)
    posted = conn.call("BAPI_ACC_DOCUMENT_POST", **document)

    assert checked["RETURN"] == posted["RETURN"]


def test_malformed_amount_is_refused_by_the_interface(conn: LocalConnection) -> None:
    document = expense()
    document["CURRENCYAMOUNT"][0]["AMT_DOCCUR"] = "12,50"

    with pytest.raises(ExternalRuntimeError) as raised:
        conn.call("BAPI_ACC_DOCUMENT_POST", **document)
    assert raised.value.key == "RFC_CONVERSION_FAILURE"
    document["CURRENCYAMOUNT"][0]["AMT_DOCCUR"] = Decimal("1.00001")
    with pytest.raises(ExternalRuntimeError):
        conn.call("BAPI_ACC_DOCUMENT_POST", **document)


def test_co_line_needs_the_controlling_area_in_company_code_currency(
        clock: Clock, tmp_path: Path) -> None:
    (tmp_path / "usd.toml").write_text('[controlling_areas.1000]\ncurrency = "USD"\n')
    erp = create_system("sqlite://", customizing_dir=tmp_path, clock=clock)

    result = post(erp.connect(), expense())
    erp.db.dispose()

    assert specific(result) == [("RW", "909", "ACCOUNTGL", 1, "GL_ACCOUNT")]
