"""BAPI_ACC_DOCUMENT_POST / _CHECK: documents that post, and what they write when.

The helpers here build documents for the other FI/CO test modules too.
"""

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.co.tables import COBK, COEP
from sapgw.erp_stub.fi import documents
from sapgw.erp_stub.fi.tables import BKPF, BSEG
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.system import LocalConnection

HEADER = {"COMP_CODE": "1000", "PSTNG_DATE": "20261120", "DOC_DATE": "20261118",
          "DOC_TYPE": "SA", "REF_DOC_NO": "INV-4711", "HEADER_TXT": "Test posting",
          "USERNAME": "TESTER"}
FIRST_KEY = "0100000000" + "1000" + "2026"


def gl(itemno: int, account: str, **fields: Any) -> dict[str, Any]:
    return {"ITEMNO_ACC": str(itemno), "GL_ACCOUNT": account, **fields}


def amount(itemno: int, value: str, currency: str = "EUR", **fields: Any) -> dict[str, Any]:
    return {"ITEMNO_ACC": str(itemno), "CURRENCY": currency, "AMT_DOCCUR": Decimal(value),
            **fields}


def expense(value: str = "100.00", co: dict[str, Any] | None = None, **header: Any
            ) -> dict[str, Any]:
    """Dr consumption (on a CO object, cost center 1000 by default) / Cr bank."""
    return {
        "DOCUMENTHEADER": {**HEADER, **header},
        "ACCOUNTGL": [gl(1, "0000400000", ITEM_TEXT="Raw material",
                         **(co if co is not None else {"COSTCENTER": "0000001000"})),
                      gl(2, "0000113100", ITEM_TEXT="Bank", ALLOC_NMBR="A-1")],
        "CURRENCYAMOUNT": [amount(1, value), amount(2, f"-{value}")],
    }


def post(conn: LocalConnection, document: dict[str, Any], commit: bool = True
         ) -> dict[str, Any]:
    result = conn.call("BAPI_ACC_DOCUMENT_POST", **document)
    if commit:
        conn.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
    return result


def rows(erp: ErpSystem, model: Any, **where: Any) -> list[dict[str, Any]]:
    table = model.__table__
    query = select(table).where(*(table.c[k] == v for k, v in where.items()))
    with erp.db.read() as conn:
        return [dict(r) for r in conn.execute(query.order_by(*table.primary_key)).mappings()]


def codes(messages: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(m["TYPE"], m["ID"], m["NUMBER"]) for m in messages]


def test_balanced_document_posts_at_commit(erp: ErpSystem, conn: LocalConnection) -> None:
    result = post(conn, expense(), commit=False)

    [message] = result["RETURN"]
    assert (message["TYPE"], message["ID"], message["NUMBER"]) == ("S", "RW", "605")
    assert message["MESSAGE"] == f"Document posted successfully: BKPFF {FIRST_KEY} ERPCLNT100"
    assert (message["MESSAGE_V1"], message["MESSAGE_V2"], message["MESSAGE_V3"]) == (
        "BKPFF", FIRST_KEY, "ERPCLNT100")
    assert (result["OBJ_TYPE"], result["OBJ_KEY"], result["OBJ_SYS"]) == (
        "BKPFF", FIRST_KEY, "ERPCLNT100")
    assert rows(erp, BKPF) == [] and rows(erp, BSEG) == []

    conn.call("BAPI_TRANSACTION_COMMIT", WAIT="X")

    [bkpf] = rows(erp, BKPF)
    assert bkpf == {
        "BUKRS": "1000", "BELNR": "0100000000", "GJAHR": "2026", "BLART": "SA",
        "BLDAT": "20261118", "BUDAT": "20261120", "MONAT": "11", "CPUDT": "20261122",
        "CPUTM": "120000", "USNAM": "TESTER", "XBLNR": "INV-4711", "BKTXT": "Test posting",
        "WAERS": "EUR", "HWAER": "EUR", "AWTYP": "BKPFF", "AWKEY": FIRST_KEY,
        "AWSYS": "ERPCLNT100", "GLVOR": "RFBU", "STBLG": "", "STJAH": "0000",
        "STGRD": "", "XREVERSAL": "", "TCODE": ""}
    debit, credit = rows(erp, BSEG)
    assert (debit["BUZEI"], debit["BSCHL"], debit["KOART"], debit["SHKZG"]) == (
        "001", "40", "S", "S")
    assert (debit["HKONT"], debit["WRBTR"], debit["DMBTR"], debit["KOSTL"]) == (
        "0000400000", Decimal("100.00"), Decimal("100.00"), "0000001000")
    assert (debit["SGTXT"], debit["KOKRS"], debit["PSWSL"]) == ("Raw material", "1000", "EUR")
    assert (credit["BUZEI"], credit["BSCHL"], credit["SHKZG"], credit["WRBTR"]) == (
        "002", "50", "H", Decimal("100.00"))
    assert (credit["HKONT"], credit["KOSTL"], credit["ZUONR"]) == ("0000113100", "", "A-1")


def test_numbers_come_from_the_range_per_company_code_and_year(conn: LocalConnection) -> None:
    first = post(conn, expense())
    second = post(conn, expense(PSTNG_DATE="20261121"))
    next_year = post(conn, expense(PSTNG_DATE="20270105"))

    assert first["OBJ_KEY"] == FIRST_KEY
    assert second["OBJ_KEY"] == "0100000001" + "1000" + "2026"
    assert next_year["OBJ_KEY"] == "0100000000" + "1000" + "2027"


def test_rollback_writes_nothing(erp: ErpSystem, conn: LocalConnection) -> None:
    post(conn, expense(), commit=False)
    conn.call("BAPI_TRANSACTION_ROLLBACK")
    conn.call("BAPI_TRANSACTION_COMMIT")

    assert rows(erp, BKPF) == [] and rows(erp, BSEG) == []
    assert rows(erp, COBK) == [] and rows(erp, COEP) == []


def test_check_answers_rw_614_and_posts_nothing(erp: ErpSystem, conn: LocalConnection) -> None:
    result = conn.call("BAPI_ACC_DOCUMENT_CHECK", **expense())
    conn.call("BAPI_TRANSACTION_COMMIT")

    assert codes(result["RETURN"]) == [("S", "RW", "614")]
    assert result["RETURN"][0]["MESSAGE"] == "Document check - no errors"
    assert "OBJ_KEY" not in result
    assert rows(erp, BKPF) == [] and rows(erp, COEP) == []
    assert post(conn, expense())["OBJ_KEY"] == FIRST_KEY  # no number was drawn


def test_customer_and_vendor_items_post_to_reconciliation_accounts(
        erp: ErpSystem, conn: LocalConnection) -> None:
    result = post(conn, {
        "DOCUMENTHEADER": {**HEADER, "DOC_TYPE": "DR"},
        "ACCOUNTRECEIVABLE": [{"ITEMNO_ACC": "1", "CUSTOMER": "1000", "ITEM_TEXT": "Invoice"}],
        "ACCOUNTGL": [gl(2, "0000800000")],
        "ACCOUNTPAYABLE": [{"ITEMNO_ACC": "3", "VENDOR_NO": "0000002000"}],
        "CURRENCYAMOUNT": [amount(1, "119.00"), amount(2, "-100.00"), amount(3, "-19.00")],
    })

    assert codes(result["RETURN"]) == [("S", "RW", "605")]
    customer, revenue, vendor = rows(erp, BSEG)
    assert (customer["KOART"], customer["BSCHL"], customer["KUNNR"], customer["HKONT"]) == (
        "D", "01", "0000001000", "0000140000")
    assert (revenue["KOART"], revenue["BSCHL"], revenue["HKONT"]) == ("S", "50", "0000800000")
    assert (vendor["KOART"], vendor["BSCHL"], vendor["LIFNR"], vendor["HKONT"]) == (
        "K", "31", "0000002000", "0000160000")
    assert vendor["WRBTR"] == Decimal("19.00") and vendor["SHKZG"] == "H"
    assert rows(erp, COEP) == []  # revenue without a CO object: no CO document


def test_amounts_are_rounded_half_up_at_the_currency(erp: ErpSystem,
                                                     conn: LocalConnection) -> None:
    result = post(conn, expense("100.005"))

    assert codes(result["RETURN"]) == [("S", "RW", "605")]
    assert [r["WRBTR"] for r in rows(erp, BSEG)] == [Decimal("100.01"), Decimal("100.01")]


def test_foreign_currency_takes_local_amounts_from_currency_type_10(
        erp: ErpSystem, conn: LocalConnection) -> None:
    document = expense()
    document["CURRENCYAMOUNT"] = [
        amount(1, "110.00", "USD"), amount(2, "-110.00", "USD"),
        amount(1, "100.00", CURR_TYPE="10"), amount(2, "-100.00", CURR_TYPE="10")]
    result = post(conn, document)

    assert codes(result["RETURN"]) == [("S", "RW", "605")]
    [bkpf] = rows(erp, BKPF)
    assert (bkpf["WAERS"], bkpf["HWAER"]) == ("USD", "EUR")
    assert [(r["WRBTR"], r["DMBTR"]) for r in rows(erp, BSEG)] == [
        (Decimal("110.00"), Decimal("100.00"))] * 2
    [coep] = rows(erp, COEP)
    assert (coep["WKGBTR"], coep["WTGBTR"], coep["TWAER"]) == (
        Decimal("100.00"), Decimal("110.00"), "USD")


def test_sender_reference_is_kept_as_awkey_once(erp: ErpSystem, conn: LocalConnection) -> None:
    reference = {"OBJ_TYPE": "VBRK", "OBJ_KEY": "0090000001", "OBJ_SYS": "CRMCLNT200"}
    first = post(conn, expense(**reference))
    again = post(conn, expense(**reference))

    assert (first["OBJ_TYPE"], first["OBJ_KEY"], first["OBJ_SYS"]) == (
        "VBRK", "0090000001", "CRMCLNT200")
    assert first["RETURN"][0]["MESSAGE"] == (
        "Document posted successfully: VBRK 0090000001 CRMCLNT200")
    [bkpf] = rows(erp, BKPF)
    assert (bkpf["AWTYP"], bkpf["AWKEY"], bkpf["AWSYS"]) == ("VBRK", "0090000001", "CRMCLNT200")
    assert codes(again["RETURN"]) == [("E", "RW", "609"), ("E", "RW", "902")]
    assert again["RETURN"][1]["MESSAGE_V3"] == bkpf["BELNR"]
    assert again["OBJ_KEY"] == "$"


def test_python_api_reads_committed_documents(erp: ErpSystem, conn: LocalConnection) -> None:
    ctx = CallContext(erp, Luw())
    post(conn, expense(), commit=False)
    assert documents.find_by_reference(ctx, "1000", "INV-4711") is None  # not committed yet
    conn.call("BAPI_TRANSACTION_COMMIT")
    post(conn, expense(REF_DOC_NO="INV-4712"))

    document = documents.document(ctx, "1000", "100000000", 2026)
    assert document is not None and document["XBLNR"] == "INV-4711"
    assert [line["BUZEI"] for line in document["BSEG"]] == ["001", "002"]
    by_reference = documents.find_by_reference(ctx, "1000", "INV-4712")
    assert by_reference is not None and by_reference["BELNR"] == "0100000001"
    by_awkey = documents.find_by_awkey(ctx, "BKPFF", FIRST_KEY)
    assert by_awkey is not None and by_awkey["BELNR"] == "0100000000"
    assert documents.obj_key(by_awkey) == FIRST_KEY
    assert documents.document(ctx, "1000", "100000009", 2026) is None
    assert documents.find_by_reference(ctx, "2000", "INV-4711") is None
