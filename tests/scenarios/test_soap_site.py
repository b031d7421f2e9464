"""A site whose ERP is reached over SOAP RFC (`type = soap`), with `responses` as the partner:
fund postings reach F04, an ABAP exception stops the queue (SYSFAIL), an unreachable partner
leaves it CPICERR until it answers again."""

from collections.abc import Iterator
from datetime import timedelta

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.gateway.runtime import Gateway
from tests.gateway.soap_partner import URL, SoapPartner, partner_erp, soap_partner

from .conftest import fund_posting, fund_usage, trade_promotion


@pytest.fixture
def erp(tmp_path, sapgw_clock) -> Iterator[ErpSystem]:
    with partner_erp(tmp_path / "partner.db", sapgw_clock) as system:
        yield system


@pytest.fixture
def partner(erp) -> Iterator[SoapPartner]:
    with soap_partner(erp) as answering:
        yield answering


@pytest.fixture
def sapgw_overrides(partner, monkeypatch) -> dict[str, dict[str, str]]:
    """`sapgw`'s ERP is the SOAP partner (answering before the gateway starts)."""
    monkeypatch.setenv("SAPGW_TEST_SOAP_PASSWORD", "secret")  # unset, the start is refused
    return {"gateway": {"serve_rfc": ""},
            "destination ERP": {"type": "soap", "url": URL, "client": "100", "user": "RFCUSER",
                                "passwd": "env:SAPGW_TEST_SOAP_PASSWORD",
                                "retry_interval": "10", "retry_count": "3"}}


def send_all(gateway: Gateway, *payloads: dict) -> list[str]:
    return [gateway.send(p["type"], p["data"])["bdoc_id"] for p in payloads]


def documents(erp: ErpSystem) -> list[str]:
    with erp.connect() as conn:
        result = conn.call("RFC_READ_TABLE", QUERY_TABLE="BKPF", DELIMITER="|",
                           FIELDS=[{"FIELDNAME": "XBLNR"}])
    return [row["WA"].strip() for row in result["DATA"]]


def test_fund_postings_reach_f04_over_soap(sapgw, partner, erp):
    ids = send_all(sapgw, trade_promotion(), fund_usage(), fund_posting("FPO1"),
                   fund_posting("FPO2"))
    sapgw.run_until_idle()
    assert [sapgw.bdoc(i)["state"] for i in ids] == ["F04"] * 4
    assert documents(erp) == ["FPO1", "FPO2"]
    units = [r for r in partner.requests if "sap-trfc-tid" in r.headers]
    assert len(units) == 4 and all(r.headers["sap-qrfc-queue"].startswith("R3AU")
                                   for r in units)


def test_an_abap_exception_stops_the_queue_in_sysfail(sapgw, partner, erp):
    partner.failing = {"CRM_FM_ACL_ACCRUAL_R3_IN"}
    ids = send_all(sapgw, trade_promotion(), fund_usage(), fund_posting("FPO1"))
    sapgw.run_until_idle()
    states = [sapgw.bdoc(i)["state"] for i in ids]
    assert states == ["F04", "F04", "E06"]
    queue = next(q for q in sapgw.queues() if q["status"] != "READY")
    assert queue["status"] == "SYSFAIL" and "Posting period" in queue["error"]
    partner.failing = set()
    sapgw.actions.activate(queue["name"], "out")
    sapgw.run_until_idle()
    assert sapgw.bdoc(ids[2])["state"] == "F04" and documents(erp) == ["FPO1"]


def test_an_unreachable_partner_gives_cpicerr_and_a_retry(sapgw, partner, erp, sapgw_clock):
    partner.mode = "down"
    ids = send_all(sapgw, trade_promotion())
    sapgw.run_until_idle()
    queue = sapgw.queues()[0]
    assert (queue["status"], queue["retries"]) == ("CPICERR", 1)
    assert "unreachable" in queue["error"]
    assert sapgw.bdoc(ids[0])["state"] == "I02"
    partner.mode = "ok"
    sapgw_clock.advance(timedelta(seconds=11))
    sapgw.run_until_idle()
    assert sapgw.bdoc(ids[0])["state"] == "F04" and sapgw.queues() == []
