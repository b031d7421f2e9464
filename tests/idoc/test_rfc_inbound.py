"""IDOC_INBOUND_ASYNCHRONOUS served by the gateway: tRFC exactly once, qRFC through SMQ2, the
JSON RFC unit route of a live server, and a TRFC port that sends to it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sapgw.gateway.api.app import create_app
from sapgw.gateway.idoc.flat_format import write_records
from sapgw.gateway.idoc.ports import Port
from sapgw.gateway.idoc.store import OutboundProfile, PartnerProfile
from sapgw.gateway.runtime import Gateway
from sapgw.pytest_plugin import free_port, live_server
from sapgw.rfc.errors import ExternalRuntimeError
from sapgw.types import new_tid
from tests.idoc.conftest import acc_document, post_fi
from tests.idoc.test_inbound import documents

FUNCTION = "IDOC_INBOUND_ASYNCHRONOUS"


def tables(*references: str) -> dict[str, Any]:
    idocs = [acc_document(r, DOCNUM=f"{n:016d}", MANDT="100")
             for n, r in enumerate(references, 41)]
    controls, data = write_records(idocs)
    return {"IDOC_CONTROL_REC_40": controls, "IDOC_DATA_REC_40": data}


def inbound(gw: Gateway) -> list[dict[str, Any]]:
    return gw.idocs.store.listing(direction="2")["idocs"]


def test_a_trfc_unit_stores_its_idocs_once(sapgw):
    unit = {"id": new_tid(), "background": False, "queued": False}
    with sapgw.served_rfc.connect() as conn:
        conn.fill_and_submit_unit(unit, [(FUNCTION, tables("TRFC1", "TRFC2"))])
    with sapgw.served_rfc.connect() as conn:  # the sender lost the answer and sends again
        conn.fill_and_submit_unit(dict(unit), [(FUNCTION, tables("TRFC1", "TRFC2"))])
        conn.confirm_unit(unit)
    stored = inbound(sapgw)
    assert [i["STATUS"] for i in stored] == ["53", "53"]
    assert len(documents(sapgw, "TRFC1")) == 1 and len(documents(sapgw, "TRFC2")) == 1
    first = sapgw.idocs.detail(stored[-1]["DOCNUM"])
    assert first["status"][0]["TEXT"] == "IDoc added (sender's DOCNUM 0000000000000041)"
    assert first["control"]["SNDPRN"] == "EXTCLNT100" and first["control"]["DIRECT"] == "2"


def test_a_qrfc_unit_waits_in_the_inbound_queue(sapgw):
    unit = {"id": new_tid(), "background": False, "queued": True}
    with sapgw.served_rfc.connect() as conn:
        conn.fill_and_submit_unit(unit, [(FUNCTION, tables("QRFC1"))], queue_names=["IDOCIN"])
    assert unit["state"] == "QUEUED" and inbound(sapgw) == []
    sapgw.run_until_idle()
    assert [i["STATUS"] for i in inbound(sapgw)] == ["53"]


def test_not_understood_rows_are_stored_with_56_and_empty_tables_refused(sapgw):
    rows = tables("BAD1")
    rows["IDOC_DATA_REC_40"][0]["SEGNAM"] = "E1NOSUCH"
    with sapgw.served_rfc.connect() as conn:
        conn.call(FUNCTION, **rows)  # a synchronous call: no TID, stored all the same
        [stored] = inbound(sapgw)
        assert stored["STATUS"] == "56"
        text = sapgw.idocs.detail(stored["DOCNUM"])["status"][-1]["TEXT"]
        assert "E1NOSUCH: not part of IDoc type ACC_DOCUMENT03" in text
        with pytest.raises(ExternalRuntimeError, match="are empty"):
            conn.call(FUNCTION)


@pytest.mark.server
def test_json_rfc_unit_route_and_a_trfc_port_loop(sapgw_clock):
    """A live server takes a unit twice (stored once); then a TRFC port of the same gateway
    sends an FI document to it, which comes back in as an inbound IDoc and is posted."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    gw = Gateway.in_memory(clock=sapgw_clock,
                           overrides={"destination SELF": {"type": "http", "url": url}})
    try:
        with live_server(create_app(gw, run_schedulers=False), port=port), \
                httpx.Client(base_url=url, timeout=60) as http:
            tid = new_tid()
            unit = {"TID": tid, "QUEUE": None, "CALLS": [[FUNCTION, tables("LIVE1")]]}
            for _ in range(2):
                answer = http.post("/sap/bc/rfc_unit", json=unit)
                assert answer.status_code == 200, answer.text
            assert http.post(f"/sap/bc/rfc_unit/{tid}/confirm").status_code == 200
            assert [i["STATUS"] for i in inbound(gw)] == ["53"]

            post_fi(gw, "LOOP1")
            gw.idocs.ports.put(Port("SELF", "TRFC", destination="SELF"))
            gw.idocs.put_outbound_profile(OutboundProfile("LS", "SELF", "ACC_DOCUMENT", "SELF",
                                                          "ACC_DOCUMENT03"))
            gw.idocs.store.put_partner(PartnerProfile("LS", "CRMCLNT100", "ACC_DOCUMENT",
                                                      "BAPI"))
            sent = gw.idocs.send_acc_documents("1000", "20261101", partner="SELF")
            assert [r["STATUS"] for r in sent["idocs"]] == ["12", "12"]  # LIVE1 and LOOP1
            received = [i for i in inbound(gw) if i["SNDPRN"] == "CRMCLNT100"]
            assert [i["STATUS"] for i in received] == ["53", "53"]
            assert len(documents(gw, "LOOP1")) == 2  # the original and its echo
            detail = gw.idocs.detail(sent["idocs"][0]["DOCNUM"])
            assert detail["status"][-1]["TEXT"] == (
                f"Dispatch OK (tRFC {detail['dispatch']['TID']} confirmed)")
    finally:
        gw.close()
