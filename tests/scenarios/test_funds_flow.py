"""Seed 004 end to end over HTTP: trade promotion, fund usage, accruals, reversal, repairs."""

from decimal import Decimal

from sapgw.gateway.runtime import Gateway

from .conftest import fund_posting, fund_usage, read_table, trade_promotion


def send(http, payload) -> str:
    response = http.post("/api/bdocs", json=payload)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["state"] == "I01" and len(body["bdoc_id"]) == 32
    return body["bdoc_id"]


def bdoc(http, bdoc_id):
    response = http.get(f"/api/bdocs/{bdoc_id}")
    assert response.status_code == 200
    return response.json()


def queues(http, direction="out"):
    return {q["name"]: q for q in http.get("/api/queues",
                                           params={"direction": direction}).json()}


def test_happy_path_posts_accrual_with_co_assignment(sapgw: Gateway, http):
    ids = [send(http, trade_promotion()), send(http, fund_usage()),
           send(http, fund_posting("FPO1", "250.00"))]
    sapgw.run_until_idle()

    for bdoc_id in ids:
        detail = bdoc(http, bdoc_id)
        assert detail["state"] == "F04", detail["log"]
        assert detail["receivers"][0]["site"] == "ERP"
        assert detail["receivers"][0]["state"] == "CONFIRMED"
    assert [r["queue"] for r in bdoc(http, ids[2])["receivers"]] == ["R3AUFMFPO1791"]
    assert queues(http) == {}

    assert read_table(http, "PROJ", ["PSPID"], "PSPID = 'TPM1'") == [{"PSPID": "TPM1"}]
    prps = read_table(http, "PRPS", ["POSID", "PSPHI"])
    assert prps[0]["POSID"] == "TPM1.01"
    iaom = read_table(http, "IAOM_ASSIGNMENTS", ["BUS_SCENARIO_ID", "EXT_OBJECT_ID",
                                                 "OBJECT_NO", "CONTROLLING_TYPE"])
    assert iaom == [{"BUS_SCENARIO_ID": "CRMFM", "EXT_OBJECT_ID": "00000000000000001791/10",
                     "OBJECT_NO": iaom[0]["OBJECT_NO"], "CONTROLLING_TYPE": "S"}]
    aufnr = iaom[0]["OBJECT_NO"].removeprefix("OR")
    assert read_table(http, "AUFK", ["AUFNR", "AUART"]) == [{"AUFNR": aufnr, "AUART": "SAPS"}]

    bkpf = read_table(http, "BKPF", ["BUKRS", "BELNR", "GJAHR", "XBLNR", "AWTYP"],
                      "XBLNR = 'FPO1'")
    assert len(bkpf) == 1 and bkpf[0]["BUKRS"] == "1000"
    lines = read_table(http, "BSEG", ["BUZEI", "SHKZG", "HKONT", "WRBTR", "AUFNR"],
                       f"BELNR = '{bkpf[0]['BELNR']}'")
    assert {(ln["SHKZG"], ln["HKONT"], ln["AUFNR"]) for ln in lines} == {
        ("S", "0000477000", aufnr), ("H", "0000196000", "")}
    assert all(Decimal(ln["WRBTR"]) == Decimal("250.00") for ln in lines)
    coep = read_table(http, "COEP", ["OBJNR", "KSTAR", "WKGBTR"], f"OBJNR = 'OR{aufnr}'")
    assert [(c["KSTAR"], Decimal(c["WKGBTR"])) for c in coep] == [
        ("0000477000", Decimal("250.00"))]


def test_missing_trade_promotion_fails_then_reprocess_repairs(sapgw: Gateway, http):
    fu = send(http, fund_usage(tpm_id="TPM9"))
    sapgw.run_until_idle()

    failed = bdoc(http, fu)
    assert failed["state"] == "E06"
    assert "TPM9" in failed["error"]
    assert any(e["type"] == "E" and "TPM9" in e["message"] for e in failed["log"])
    queue = queues(http)["R3AUFMFU1791"]
    assert queue["status"] == "SYSFAIL" and "TPM9" in queue["error"]
    listed = http.get("/api/bdocs", params={"state": "E06"}).json()["items"]
    assert [b["bdoc_id"] for b in listed] == [fu]

    send(http, trade_promotion("TPM9"))
    sapgw.run_until_idle()
    assert bdoc(http, fu)["state"] == "E06", "a SYSFAIL queue waits for a person"

    response = http.post(f"/api/bdocs/{fu}/reprocess")
    assert response.status_code == 200, response.text
    sapgw.run_until_idle()
    assert bdoc(http, fu)["state"] == "F04"
    assert queues(http) == {}


def test_queue_dependency_makes_fund_usage_wait_for_its_trade_promotion(sapgw: Gateway, http):
    assert http.post("/api/queues/R3AUMKTPLTPM2/lock").status_code == 200
    tpm = send(http, trade_promotion("TPM2"))
    fu = send(http, fund_usage("1792", "TPM2"))
    sapgw.run_until_idle()

    current = queues(http)
    assert current["R3AUMKTPLTPM2"]["status"] == "STOP"
    assert current["R3AUFMFU1792"]["status"] == "WAITING"
    assert current["R3AUFMFU1792"]["waiting_on"] == "R3AUMKTPLTPM2"
    assert bdoc(http, fu)["state"] == "I02"

    assert http.post("/api/queues/R3AUMKTPLTPM2/unlock").status_code == 200
    sapgw.run_until_idle()
    assert bdoc(http, tpm)["state"] == "F04"
    assert bdoc(http, fu)["state"] == "F04"


def test_without_queue_dependencies_the_seed_ordering_failure_happens():
    gateway = Gateway.in_memory(overrides={"gateway": {"queue_dependencies": "no"}})
    try:
        gateway.actions.lock("R3AUMKTPLTPM3", "out")
        gateway.send("CRM_MKTPL", trade_promotion("TPM3")["data"])
        fu = gateway.send("CRM_FM_FU", fund_usage("1793", "TPM3")["data"])["bdoc_id"]
        gateway.run_until_idle()
        assert gateway.bdoc(fu)["state"] == "E06"
    finally:
        gateway.close()


def test_reversal_posts_mirror_document_and_marks_original(sapgw: Gateway, http):
    for payload in (trade_promotion(), fund_usage(), fund_posting("FPO1", "100.00"),
                    fund_posting("FPO2", "100.00", reverses="FPO1")):
        send(http, payload)
    sapgw.run_until_idle()

    original = read_table(http, "BKPF", ["BELNR", "STBLG"], "XBLNR = 'FPO1'")[0]
    reversal = read_table(http, "BKPF", ["BELNR", "STBLG"], "XBLNR = 'FPO2'")[0]
    assert original["STBLG"] == reversal["BELNR"]
    assert reversal["STBLG"] == original["BELNR"]
    lines = read_table(http, "BSEG", ["SHKZG", "HKONT"], f"BELNR = '{reversal['BELNR']}'")
    assert {(ln["SHKZG"], ln["HKONT"]) for ln in lines} == {("H", "0000477000"),
                                                           ("S", "0000196000")}


def test_reversal_of_unknown_posting_is_an_application_error(sapgw: Gateway, http):
    for payload in (trade_promotion(), fund_usage()):
        send(http, payload)
    bad = send(http, fund_posting("FPO7", reverses="NOPE"))
    sapgw.run_until_idle()
    detail = bdoc(http, bad)
    assert detail["state"] == "E06"
    assert "NOPE" in detail["error"]


def test_invalid_bdoc_is_stored_and_ends_e04_with_every_problem(sapgw: Gateway, http):
    payload = fund_posting("FPO1")
    header = payload["data"]["HEADER"]
    header.update(AMOUNT="12x", POSTING_TYPE="BONUS", POSTING_DATE="2026-13-40")
    del header["COMP_CODE"]
    bad = send(http, payload)
    sapgw.run_until_idle()
    detail = bdoc(http, bad)
    assert detail["state"] == "E04"
    problems = [e["message"] for e in detail["log"] if e["service"] == "VALIDATION"
                and e["type"] == "E" and "validation error" not in e["message"]]
    assert len(problems) == 4
    assert any("AMOUNT" in p for p in problems)
    assert any("BONUS" in p for p in problems)
    assert any("POSTING_DATE" in p for p in problems)
    assert any("COMP_CODE" in p for p in problems)
    assert detail["data"]["HEADER"]["AMOUNT"] == "12x", "stored as received"


def test_unknown_bdoc_type_is_refused_with_400(http):
    response = http.post("/api/bdocs", json={"type": "CRM_NOPE", "data": {}})
    assert response.status_code == 400
    assert "CRM_NOPE" in response.json()["message"]
    assert http.post("/api/bdocs", content=b"{not json").status_code == 400


def test_discard_and_set_processed_end_error_bdocs(sapgw: Gateway, http):
    fu = send(http, fund_usage(tpm_id="TPM8"))
    sapgw.run_until_idle()
    assert http.post(f"/api/bdocs/{fu}/discard").json()["state"] == "F01"
    assert queues(http) == {}, "the failed LUW left its queue"
    assert http.post(f"/api/bdocs/{fu}/reprocess").status_code == 409

    ok = send(http, trade_promotion("TPM5"))
    sapgw.run_until_idle()
    assert http.post(f"/api/bdocs/{ok}/set-processed").status_code == 409
    assert http.get("/api/bdocs/FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF").status_code == 404


def test_posting_run_as_one_batch_keeps_order_and_posts_each(sapgw: Gateway, http):
    send(http, trade_promotion())
    send(http, fund_usage())
    run = [fund_posting(f"FPO{i}", f"{i}0.00") for i in range(1, 6)]
    response = http.post("/api/bdocs/batch", json={"type": "CRM_FM_FPO",
                                                   "items": [p["data"] for p in run]})
    assert response.status_code == 201, response.text
    ids = [b["bdoc_id"] for b in response.json()["bdocs"]]
    assert len(set(ids)) == 5
    inbound = http.get("/api/queues").json() + http.get("/api/queues",
                                                        params={"direction": "in"}).json()
    flows = [luw["bdoc_id"] for q in inbound if q["direction"] == "in"
             for luw in http.get(f"/api/queues/{q['name']}", params={"direction": "in"}
                                 ).json()["luws"]]
    assert [f for f in flows if f in ids] == ids  # in the items' order, one flow LUW each
    sapgw.run_until_idle()

    assert [bdoc(http, i)["state"] for i in ids] == ["F04"] * 5
    rows = read_table(http, "BKPF", ["BELNR", "XBLNR"])
    posted = [r["XBLNR"] for r in sorted(rows, key=lambda r: r["BELNR"])]
    assert posted == [f"FPO{i}" for i in range(1, 6)]


def test_batch_with_unknown_type_stores_nothing(http):
    response = http.post("/api/bdocs/batch", json={"type": "NOPE", "items": [{}]})
    assert response.status_code == 400
    assert "unknown BDoc type" in response.json()["message"]
    assert http.get("/api/bdocs").json()["items"] == []
