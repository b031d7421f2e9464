"""Faults through the whole gateway: a fund posting sent to SYSFAIL by an injected RETURN E,
then cleared and reprocessed; a destination down for two calls, then back."""

from sapgw.gateway.runtime import Gateway
from tests.scenarios.conftest import fund_posting, fund_usage, trade_promotion


def send_all(gw: Gateway, *payloads: dict) -> list[str]:
    return [gw.send(p["type"], p["data"])["bdoc_id"] for p in payloads]


def test_injected_return_error_sends_a_fund_posting_to_sysfail_then_reprocess_posts_it(
        sapgw: Gateway) -> None:
    rule = sapgw.faults.add(kind="return", function="BAPI_ACC_DOCUMENT_POST", msg_type="E",
                            msg_class="RW", msg_number="609", msg_v1="BKPFF", msg_v2="$",
                            count=1)
    assert rule["id"] == "F1" and rule["status"] == "active" and rule["remaining"] == 1
    _, _, fpo = send_all(sapgw, trade_promotion(), fund_usage(), fund_posting("FPO1"))
    sapgw.run_until_idle()

    detail = sapgw.bdoc(fpo)
    assert detail["state"] == "E06"
    messages = [row["message"] for row in detail["log"]]
    assert any("Error in document: BKPFF $ [injected fault F1]" == m for m in messages)
    assert any(m.startswith("Injected fault F1") for m in messages)
    queue = sapgw.queue("R3AUFMFPO1791", "out")
    assert queue["status"] == "SYSFAIL" and "[injected fault F1]" in queue["error"]
    assert sapgw.faults.list()[0]["status"] == "used up"

    assert sapgw.faults.clear() == 1 and sapgw.faults.list() == []
    sapgw.actions.reprocess(fpo)
    sapgw.run_until_idle()
    assert sapgw.bdoc(fpo)["state"] == "F04"


def test_destination_down_goes_cpicerr_then_recovers_after_the_rules_count(
        sapgw: Gateway) -> None:
    sapgw.faults.add(kind="down", destination="ERP", queue="R3AUMKTPL*", count=2)
    (tpm,) = send_all(sapgw, trade_promotion())
    sapgw.run_until_idle()
    queue = sapgw.queue("R3AUMKTPLTPM1", "out")
    assert queue["status"] == "CPICERR", queue
    assert "partner 'ERP' not reached" in queue["error"]
    assert "[injected fault F1]" in queue["error"]
    assert sapgw.bdoc(tpm)["state"] == "I02"
    for _ in range(2):  # the retries are due on the gateway's clock
        sapgw.clock.advance(__import__("datetime").timedelta(minutes=10))
        sapgw.run_until_idle()
    assert sapgw.bdoc(tpm)["state"] == "F04"
    assert sapgw.faults.list()[0]["hits"] == 2
    log = [row["message"] for row in sapgw.bdoc(tpm)["log"]]
    assert sum("[injected fault F1]" in m for m in log) == 2
