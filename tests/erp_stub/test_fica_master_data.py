"""Business partners and contract accounts over RFC: BUT000, FKKVK/FKKVKP, every error at
once and nothing saved while there is one."""

from __future__ import annotations

from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.fica_support import partner, read


def _messages(result: dict) -> list[tuple[str, str, str, str]]:
    return [(m["TYPE"], m["ID"], m["NUMBER"], m["FIELD"]) for m in result["RETURN"]]


def test_partner_and_contract_account_are_saved_at_commit(conn: LocalConnection) -> None:
    result = conn.call("BAPI_BUPA_CREATE_FROM_DATA", PARTNERCATEGORY="1",
                       CENTRALDATAPERSON={"FIRSTNAME": "Ada", "LASTNAME": "Lovelace"})
    gpart = result["BUSINESSPARTNER"]
    assert gpart == "0000200000"
    assert result["RETURN"][0]["MESSAGE"] == "Business partner 0000200000 has been created"
    assert read(conn, "BUT000", ["PARTNER"]) == []
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert read(conn, "BUT000", ["PARTNER", "TYPE", "NAME_LAST", "BU_SORT1", "CRDAT"]) == [
        [gpart, "1", "Lovelace", "LOVELACE", "20261122"]]

    created = conn.call("BAPI_CTRACCONTRACTACCOUNT_CREATE",
                        CTRACHEADERIN={"ACCT_CAT": "01", "DESCRIPTION": "Mobile"},
                        CTRACPARTNERDETAILIN={"BUSPARTNER": "200000",
                                              "STANDARD_COMP_CODE": "1000",
                                              "ACCT_DETERM_ID": "01", "INV_CURRENCY": "EUR"})
    conn.call("BAPI_TRANSACTION_COMMIT")
    vkont = created["CONTRACTACCOUNTOUT"]
    assert vkont == "000000300000"
    assert read(conn, "FKKVK", ["VKONT", "VKTYP", "APPLK", "VKBEZ"]) == [
        [vkont, "01", "C", "Mobile"]]
    assert read(conn, "FKKVKP", ["VKONT", "GPART", "OPBUK", "STDBK", "KOFIZ", "INV_CURR"]) == [
        [vkont, gpart, "1000", "1000", "01", "EUR"]]


def test_contract_account_errors_come_all_at_once(conn: LocalConnection) -> None:
    result = conn.call("BAPI_CTRACCONTRACTACCOUNT_CREATE",
                       CTRACHEADERIN={"DESCRIPTION": "x"},
                       CTRACPARTNERDETAILIN={"BUSPARTNER": "4711", "STANDARD_COMP_CODE": "9999",
                                             "INV_CURRENCY": "XXX"})
    assert _messages(result) == [
        ("E", "R11", "901", "BUSPARTNER"), ("E", "FKK_CI", "005", "ACCT_CAT"),
        ("E", "FKK_CI", "004", "STANDARD_COMP_CODE"), ("E", "FKK_CI", "006", "INV_CURRENCY")]
    assert result["RETURN"][0]["MESSAGE"] == "Business partner 0000004711 does not exist"
    assert result["CONTRACTACCOUNTOUT"] == ""
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert read(conn, "FKKVK", ["VKONT"]) == []


def test_external_numbers_are_kept_and_never_given_twice(conn: LocalConnection) -> None:
    gpart = partner(conn)
    result = conn.call("BAPI_CTRACCONTRACTACCOUNT_CREATE", CONTRACTACCOUNT="CA-1",
                       CTRACHEADERIN={"ACCT_CAT": "01"},
                       CTRACPARTNERDETAILIN={"BUSPARTNER": gpart, "STANDARD_COMP_CODE": "1000"})
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert result["CONTRACTACCOUNTOUT"] == "CA-1"
    again = conn.call("BAPI_CTRACCONTRACTACCOUNT_CREATE", CONTRACTACCOUNT="CA-1",
                      CTRACHEADERIN={"ACCT_CAT": "01"},
                      CTRACPARTNERDETAILIN={"BUSPARTNER": gpart, "STANDARD_COMP_CODE": "1000"})
    assert _messages(again) == [("E", "FKK_CI", "007", "CONTRACTACCOUNT")]
    bad = conn.call("BAPI_BUPA_CREATE_FROM_DATA", PARTNERCATEGORY="2",
                    BUSINESSPARTNEREXTERN=gpart)
    assert _messages(bad) == [("E", "R11", "903", "NAME1"),
                              ("E", "R11", "905", "BUSINESSPARTNEREXTERN")]


def test_test_run_saves_nothing(conn: LocalConnection) -> None:
    result = conn.call("BAPI_BUPA_CREATE_FROM_DATA", PARTNERCATEGORY="2", TESTRUN="X",
                       CENTRALDATAORGANIZATION={"NAME1": "Probe"})
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert _messages(result) == [("S", "FKK_CI", "008", "")]
    assert result["BUSINESSPARTNER"] == ""
    assert read(conn, "BUT000", ["PARTNER"]) == []
