"""Exactly once: a LUW delivered twice posts once, also after a crash before completion."""

from sapgw.gateway.runtime import Gateway
from sapgw.types import new_tid

from .conftest import fund_posting, fund_usage, read_table, trade_promotion


def test_same_unit_delivered_twice_posts_once(sapgw: Gateway, http):
    for payload in (trade_promotion(), fund_usage()):
        http.post("/api/bdocs", json=payload)
    sapgw.run_until_idle()
    calls = [("CRM_FM_ACL_ACCRUAL_R3_IN", {
        "IS_HEADER": {"FPO_ID": "FPOX", "POSTING_TYPE": "A", "POSTING_DATE": "20261122",
                      "COMP_CODE": "1000"},
        "IT_ITEMS": [{"ITEMNO_ACC": "1", "FU_ID": "1791", "FU_ITEM": "10",
                      "EXPENSE_TYPE": "TPM1", "SALES_ORG": "1000", "AMOUNT": "10.00",
                      "CURRENCY": "EUR", "BUS_SCENARIO": "CRMFM",
                      "EXT_OBJECT_ID": "00000000000000001791/10"}]})]
    tid = new_tid()
    for _ in range(2):
        connection = sapgw.destination("ERP")
        unit = {"id": tid, "background": False, "queued": False}
        connection.fill_and_submit_unit(unit, calls)
        connection.close()
    assert len(read_table(http, "BKPF", ["BELNR"], "XBLNR = 'FPOX'")) == 1

    for _ in range(2):
        response = http.post("/sap/bc/rfc_unit", json={"TID": tid, "QUEUE": None,
                                                       "CALLS": [list(c) for c in calls]})
        assert response.status_code == 200, response.text
    assert len(read_table(http, "BKPF", ["BELNR"], "XBLNR = 'FPOX'")) == 1


def test_crash_between_execution_and_completion_does_not_post_twice(sapgw: Gateway, http):
    for payload in (trade_promotion(), fund_usage()):
        http.post("/api/bdocs", json=payload)
    sapgw.run_until_idle()
    fpo = http.post("/api/bdocs", json=fund_posting("FPO1")).json()["bdoc_id"]
    # Run only the flow (inbound), then execute the outbound LUW at the ERP as a worker would,
    # and "crash" before the gateway records completion.
    worker = sapgw.worker()
    assert worker.run_once("in")
    head = sapgw.queue("R3AUFMFPO1791")["luws"][0]
    connection = sapgw.destination("ERP")
    connection.fill_and_submit_unit({"id": head["tid"], "background": False, "queued": True},
                                    [tuple(call) for call in head["calls"]])
    connection.close()
    assert len(read_table(http, "BKPF", ["BELNR"], "XBLNR = 'FPO1'")) == 1

    sapgw.run_until_idle()  # after "restart" the queue sends the head LUW again, same TID
    assert http.get(f"/api/bdocs/{fpo}").json()["state"] == "F04"
    assert len(read_table(http, "BKPF", ["BELNR"], "XBLNR = 'FPO1'")) == 1
