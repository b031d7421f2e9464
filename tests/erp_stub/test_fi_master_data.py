"""BAPI_ACC_DOCUMENT_POST to customers and vendors of the master data (KNB1/LFB1): posted to
the reconciliation account of the company code data, refused when it is missing, flagged for
deletion or blocked; the demo partners of the customizing keep working."""

from __future__ import annotations

from typing import Any

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.fi.tables import BSEG
from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.test_fi_post import HEADER, amount, codes, gl, post, rows
from tests.erp_stub.test_master_data import cremas, debmas


def invoice(customer: str, value: str = "119.00") -> dict[str, Any]:
    return {"DOCUMENTHEADER": {**HEADER, "DOC_TYPE": "DR"},
            "ACCOUNTRECEIVABLE": [{"ITEMNO_ACC": "1", "CUSTOMER": customer}],
            "ACCOUNTGL": [gl(2, "0000800000")],
            "CURRENCYAMOUNT": [amount(1, value), amount(2, f"-{value}")]}


def vendor_invoice(vendor: str) -> dict[str, Any]:
    return {"DOCUMENTHEADER": HEADER,
            "ACCOUNTGL": [gl(1, "0000400000", COSTCENTER="1000")],
            "ACCOUNTPAYABLE": [{"ITEMNO_ACC": "2", "VENDOR_NO": vendor}],
            "CURRENCYAMOUNT": [amount(1, "50.00"), amount(2, "-50.00")]}


def errors(result: dict[str, Any]) -> list[tuple[str, str, str, int, str]]:
    return [(m["ID"], m["NUMBER"], m["PARAMETER"], m["ROW"], m["FIELD"])
            for m in result["RETURN"][1:]]


def test_customer_from_debmas_is_posted_to_its_knb1_reconciliation_account(
        erp: ErpSystem, conn: LocalConnection) -> None:
    created = debmas(conn, ("E1KNB1M", {"BUKRS": "1000", "AKONT": "0000196000"}))
    assert codes(created["RETURN"]) == [("S", "F2", "901")]

    result = post(conn, invoice("100000"))

    assert codes(result["RETURN"]) == [("S", "RW", "605")]
    customer, _ = rows(erp, BSEG)
    assert (customer["KOART"], customer["KUNNR"], customer["HKONT"], customer["BSCHL"]) == (
        "D", "0000100000", "0000196000", "01")


def test_vendor_from_cremas_is_posted_to_its_lfb1_reconciliation_account(
        erp: ErpSystem, conn: LocalConnection) -> None:
    cremas(conn, [("E1LFA1M", {"MSGFN": "009", "KTOKK": "0001", "NAME1": "Lieferant",
                               "LAND1": "DE"}),
                  ("E1LFB1M", {"BUKRS": "1000", "AKONT": "160000"})])

    result = post(conn, vendor_invoice("300000"))

    assert codes(result["RETURN"]) == [("S", "RW", "605")]
    _, vendor = rows(erp, BSEG)
    assert (vendor["KOART"], vendor["LIFNR"], vendor["HKONT"], vendor["BSCHL"]) == (
        "K", "0000300000", "0000160000", "31")


def test_customer_without_company_code_data_is_not_defined_there(
        erp: ErpSystem, conn: LocalConnection) -> None:
    debmas(conn)  # general data only: no KNB1 row

    result = post(conn, invoice("0000100000"))

    assert errors(result) == [("F5", "102", "ACCOUNTRECEIVABLE", 1, "CUSTOMER")]
    assert result["RETURN"][1]["MESSAGE"] == ("Customer 0000100000 is not defined in company "
                                              "code 1000")
    assert rows(erp, BSEG) == []


@pytest.mark.parametrize("flagged", ["company code", "general data"])
def test_customer_flagged_for_deletion_is_refused(erp: ErpSystem, conn: LocalConnection,
                                                  flagged: str) -> None:
    debmas(conn, ("E1KNB1M", {"BUKRS": "1000", "AKONT": "140000"}))
    if flagged == "company code":
        deletion = debmas(conn, ("E1KNB1M", {"MSGFN": "003", "BUKRS": "1000"}), MSGFN="004",
                          KUNNR="100000", NAME1="", KTOKD="", LAND1="")
    else:
        deletion = debmas(conn, MSGFN="003", KUNNR="100000")
    assert codes(deletion["RETURN"])[0][0] == "S"

    result = conn.call("BAPI_ACC_DOCUMENT_CHECK", **invoice("100000"))

    assert errors(result) == [("F5", "707", "ACCOUNTRECEIVABLE", 1, "CUSTOMER")]
    assert result["RETURN"][1]["MESSAGE"] == ("Account 0000100000 is marked for deletion in "
                                              "company code 1000")


def test_vendor_flagged_for_deletion_or_blocked_is_refused(erp: ErpSystem,
                                                           conn: LocalConnection) -> None:
    general = {"MSGFN": "009", "KTOKK": "0001", "NAME1": "Lieferant", "LAND1": "DE"}
    cremas(conn, [("E1LFA1M", general), ("E1LFB1M", {"BUKRS": "1000", "AKONT": "160000",
                                                     "LOEVM": "X"})])
    cremas(conn, [("E1LFA1M", general), ("E1LFB1M", {"BUKRS": "1000", "AKONT": "160000",
                                                     "SPERR": "X"})])

    deleted = post(conn, vendor_invoice("300000"))
    blocked = post(conn, vendor_invoice("300001"))

    assert errors(deleted) == [("F5", "707", "ACCOUNTPAYABLE", 1, "VENDOR_NO")]
    assert errors(blocked) == [("F5", "708", "ACCOUNTPAYABLE", 1, "VENDOR_NO")]
    assert blocked["RETURN"][1]["MESSAGE"] == ("Account 0000300001 is blocked for posting in "
                                               "company code 1000")
    assert rows(erp, BSEG) == []


def test_customizing_partners_still_post(erp: ErpSystem, conn: LocalConnection) -> None:
    result = post(conn, invoice("1000"))

    assert codes(result["RETURN"]) == [("S", "RW", "605")]
    assert rows(erp, BSEG)[0]["HKONT"] == "0000140000"


def test_master_record_not_yet_committed_cannot_be_posted_to(erp: ErpSystem,
                                                             conn: LocalConnection) -> None:
    """As in SAP, the customer exists once its LUW is committed (update task)."""
    debmas(conn, ("E1KNB1M", {"BUKRS": "1000", "AKONT": "140000"}), commit=False)

    result = post(conn, invoice("100000"), commit=False)

    assert errors(result) == [("F5", "102", "ACCOUNTRECEIVABLE", 1, "CUSTOMER")]
