"""Business partners both ways with company code data (issue 12), through public interfaces:
BDocs sent as CRM sends them (`Gateway.send`), the ERP changed over RFC (DEBMAS/CREMAS,
BAPI), `run_until_idle` driving both systems, the ERP read over RFC_READ_TABLE, the CDB read
through the Accounting IC's search, SMW01 through `Gateway.bdoc`."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sapgw.clock import Clock
from sapgw.gateway.client import LocalClient
from sapgw.gateway.ic import accounting
from sapgw.gateway.runtime import Gateway
from tests.erp_stub.test_master_data import ale
from tests.ic.support import NUMBER, customer, erp_rows

WHERE = f"KUNNR = '{NUMBER}'"


def test_a_crm_customer_reaches_the_erp_with_company_code_dunning_and_sales_data(sapgw: Gateway):
    sent = sapgw.send("BUPA_MAIN", customer())
    sapgw.run_until_idle()

    bdoc = sapgw.bdoc(sent["bdoc_id"])
    assert bdoc["state"] == "F04", bdoc["error"]
    assert any(line["service"] == "CDB" and "saved" in line["message"] for line in bdoc["log"])
    assert [r["queue"] for r in bdoc["receivers"]] == ["R3AUBUPA900100"]
    general, = erp_rows(sapgw, "KNA1", WHERE)
    assert (general["NAME1"], general["ORT01"], general["KTOKD"]) == (
        "Aurora Tools", "Hamburg", "0002")
    company, = erp_rows(sapgw, "KNB1", WHERE)
    assert (company["BUKRS"], company["AKONT"], company["ZTERM"]) == ("1000", "0000140000",
                                                                       "0001")
    dunning, = erp_rows(sapgw, "KNB5", WHERE)
    assert (dunning["BUKRS"], dunning["MAHNA"]) == ("1000", "0001")
    area, = erp_rows(sapgw, "KNVV", WHERE)
    assert (area["VKORG"], area["VTWEG"], area["SPART"], area["WAERS"]) == (
        "1000", "10", "00", "EUR")
    found, = accounting.search(sapgw, "1000", number="900100")
    assert (found["partner"], found["role"], found["erp_number"], found["mahna"]) == (
        NUMBER, "customer", NUMBER, "0001")
    assert accounting.search(sapgw, "1000", city="hamb")[0]["partner"] == NUMBER
    assert accounting.search(sapgw, "1000", name="nobody") == []


def test_a_crm_vendor_reaches_the_erp_as_vend_main_with_lfb1_lfb5_lfm1(sapgw: Gateway):
    sent = sapgw.send("VEND_MAIN", {
        "HEADER": {"LIFNR": "0000800100", "PARTNER": "0000800100", "KTOKK": "0002",
                   "NAME1": "Nordlicht Supplies", "LAND1": "DE", "ORT01": "Kiel"},
        "COMPANY": [{"BUKRS": "1000", "AKONT": "160000", "ZTERM": "0001", "MAHNA": "0002"}],
        "PURCHASING": [{"EKORG": "1000", "WAERS": "EUR"}]})
    sapgw.run_until_idle()

    assert sapgw.bdoc(sent["bdoc_id"])["state"] == "F04"
    where = "LIFNR = '0000800100'"
    assert erp_rows(sapgw, "LFA1", where)[0]["NAME1"] == "Nordlicht Supplies"
    assert erp_rows(sapgw, "LFB1", where)[0]["AKONT"] == "0000160000"
    assert erp_rows(sapgw, "LFB5", where)[0]["MAHNA"] == "0002"
    assert erp_rows(sapgw, "LFM1", where)[0]["EKORG"] == "1000"
    assert accounting.search(sapgw, "1000", number="800100")[0]["role"] == "vendor"


def test_a_partner_without_data_for_the_subscribed_company_code_ends_e08_and_is_repaired(
        sapgw: Gateway):
    sent = sapgw.send("BUPA_MAIN", customer(company=[]))
    sapgw.run_until_idle()

    bdoc = sapgw.bdoc(sent["bdoc_id"])
    assert bdoc["state"] == "E08"
    assert bdoc["error"] == (
        "Customer 0000900100 (business partner 0000900100) has no company code data for "
        "company code 1000, which site ERP keeps partners in: add the company code data "
        "(KNB1: reconciliation account, payment terms) and reprocess")
    assert erp_rows(sapgw, "KNA1", WHERE) == []             # nothing half-written: ERP
    assert accounting.search(sapgw, "1000") == []            # nor the CDB
    assert bdoc["receivers"] == []

    client = LocalClient(sapgw)
    client.change_data(sent["bdoc_id"], {"COMPANY.1.BUKRS": "1000",
                                         "COMPANY.1.AKONT": "140000"}, reprocess=True)
    sapgw.run_until_idle()

    assert sapgw.bdoc(sent["bdoc_id"])["state"] == "F04"
    assert erp_rows(sapgw, "KNB1", WHERE)[0]["AKONT"] == "0000140000"
    assert accounting.search(sapgw, "1000")[0]["partner"] == NUMBER


def test_erp_customer_and_vendor_changes_update_the_cdb_and_not_the_sender(sapgw: Gateway,
                                                                          sapgw_clock: Clock):
    with sapgw.served_rfc.connect() as erp:
        created = erp.call("IDOC_INPUT_DEBITOR", **ale("1", [
            ("E1KNA1M", {"MSGFN": "009", "KTOKD": "0001", "NAME1": "Becker Köln",
                         "LAND1": "DE", "ORT01": "Köln"}),
            ("E1KNB1M", {"BUKRS": "1000", "AKONT": "140000", "ZTERM": "0002"}),
            ("E1KNVVM", {"VKORG": "1000", "VTWEG": "10", "SPART": "00", "WAERS": "EUR"})]))
        vendor = erp.call("IDOC_INPUT_CREDITOR", **ale("2", [
            ("E1LFA1M", {"MSGFN": "009", "KTOKK": "0001", "NAME1": "Stahl Dortmund",
                         "LAND1": "DE", "ORT01": "Dortmund"}),
            ("E1LFB1M", {"BUKRS": "1000", "AKONT": "160000"})], "CREMAS05", "CREMAS"))
        erp.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
    kunnr = created["RETURN"][0]["MESSAGE_V2"]
    lifnr = vendor["RETURN"][0]["MESSAGE_V2"]
    sapgw.run_until_idle()
    sapgw_clock.advance(timedelta(seconds=1))
    with sapgw.served_rfc.connect() as erp:
        erp.call("BAPI_CUSTOMER_CHANGEFROMDATA1", CUSTOMERNO=kunnr, PI_SALESORG="1000",
                 PI_COMPANYDATA={"CITY": "Bonn"}, PI_COMPANYDATAX={"CITY": "X"})
        erp.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
    sapgw.run_until_idle()

    for bdoc_type in ("BUPA_MAIN", "VEND_MAIN"):
        for item in sapgw.bdocs_list(bdoc_type=bdoc_type)["items"]:
            bdoc = sapgw.bdoc(item["bdoc_id"])
            assert (bdoc["state"], bdoc["sender"], bdoc["receivers"]) == ("F04", "ERP", [])
    found, = accounting.search(sapgw, "1000", number=kunnr)
    assert (found["city"], found["zterm"], found["role"]) == ("Bonn", "0002", "customer")
    supplier, = accounting.search(sapgw, "1000", number=lifnr)
    assert (supplier["name"], supplier["role"]) == ("Stahl Dortmund", "vendor")
    vendor_bdoc = sapgw.bdoc(sapgw.bdocs_list(bdoc_type="VEND_MAIN")["items"][0]["bdoc_id"])
    assert vendor_bdoc["data"]["COMPANY"][0]["AKONT"] == "0000160000"


def test_conflicting_changes_are_serialised_per_object_and_the_later_wins(sapgw: Gateway,
                                                                         sapgw_clock: Clock):
    sapgw.send("BUPA_MAIN", customer(city="Hamburg"))
    sapgw.run_until_idle()
    sapgw_clock.advance(timedelta(seconds=5))
    # The ERP changes the city; its delta waits in the ERP's outbound queue (not yet sent).
    with sapgw.served_rfc.connect() as erp:
        erp.call("BAPI_CUSTOMER_CHANGEFROMDATA1", CUSTOMERNO=NUMBER, PI_SALESORG="1000",
                 PI_COMPANYDATA={"CITY": "Berlin"}, PI_COMPANYDATAX={"CITY": "X"})
        erp.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
    sapgw_clock.advance(timedelta(seconds=5))
    # Later, CRM changes the same partner: its change is the later one.
    later = sapgw.send("BUPA_MAIN", customer(city="Lübeck"))
    sapgw.run_until_idle()

    bdocs = [sapgw.bdoc(i["bdoc_id"]) for i in sapgw.bdocs_list(bdoc_type="BUPA_MAIN")["items"]]
    assert sorted(b["sender"] for b in bdocs) == ["CRM", "CRM", "ERP"]  # SMW01 shows both
    assert all(b["state"] == "F04" for b in bdocs)
    from_erp, = (b for b in bdocs if b["sender"] == "ERP")
    assert from_erp["data"]["HEADER"]["ORT01"] == "Berlin"
    cdb_line, = (line for line in from_erp["log"] if line["service"] == "CDB")
    assert cdb_line["type"] == "W" and "holds the later BDoc" in cdb_line["message"]
    assert accounting.search(sapgw, "1000")[0]["city"] == "Lübeck"       # CDB: the later
    assert erp_rows(sapgw, "KNA1", WHERE)[0]["ORT01"] == "Lübeck"       # ERP: the later
    assert sapgw.bdoc(later["bdoc_id"])["object_key"] == from_erp["object_key"]


def test_a_data_handler_that_refuses_ends_e04_and_leaves_nothing(sapgw: Gateway,
                                                                 monkeypatch: pytest.MonkeyPatch):
    """The CDB save runs in a savepoint: a handler that writes and then refuses the data
    (ValueError) leaves no row in the CDB, queues nothing for the ERP, and says why."""
    from sapgw.gateway.cdb import handlers

    real = handlers.HANDLERS["BUPA_MAIN"]

    def refusing(*args: object) -> handlers.Saved:
        real(*args)  # type: ignore[arg-type]
        raise ValueError("sales area 1000/10/00 is blocked")

    monkeypatch.setitem(handlers.HANDLERS, "BUPA_MAIN", refusing)
    sent = sapgw.send("BUPA_MAIN", customer())
    sapgw.run_until_idle()

    bdoc = sapgw.bdoc(sent["bdoc_id"])
    assert bdoc["state"] == "E04"
    assert bdoc["error"] == ("Not saved in the CDB: ValueError: sales area 1000/10/00 is "
                             "blocked")
    assert accounting.search(sapgw, "1000") == []
    assert bdoc["receivers"] == [] and erp_rows(sapgw, "KNA1", WHERE) == []
