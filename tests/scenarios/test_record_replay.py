"""Record the funds flow against the ERP stub, replay it without one, and diff recordings."""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sapgw.clock import Clock
from sapgw.gateway.cli import main
from sapgw.gateway.runtime import Gateway
from sapgw.rfc.cassette import read_lines

from .conftest import fund_posting, fund_usage, trade_promotion

BKPF_QUERY = {"QUERY_TABLE": "BKPF", "DELIMITER": "|", "OPTIONS": [{"TEXT": "XBLNR = 'FPO1'"}],
              "FIELDS": [{"FIELDNAME": "BUKRS"}, {"FIELDNAME": "BELNR"}]}


def recording_gateway(clock: Clock, cassette: Path) -> Gateway:
    """ERP records every call it passes to the in-process stub (ERP_LOCAL)."""
    return Gateway.in_memory(clock=clock, overrides={
        "gateway": {"serve_rfc": "ERP_LOCAL"},
        "destination ERP_LOCAL": {"type": "local", "system": "sapgw.erp_stub"},
        "destination ERP": {"type": "record", "wraps": "ERP_LOCAL", "cassette": str(cassette)}})


def replaying_gateway(clock: Clock, cassette: Path) -> Gateway:
    """ERP is only the cassette: no ERP stub is loaded."""
    return Gateway.in_memory(clock=clock, overrides={
        "gateway": {"serve_rfc": ""},
        "destination ERP": {"type": "replay", "cassette": str(cassette)}})


def run_flow(gateway: Gateway, amount: str = "250.00") -> list[dict]:
    """Seed 004: a promotion, a fund usage, two accruals; one fund usage without promotion."""
    sent = [gateway.send(p["type"], p["data"]) for p in (
        trade_promotion(), fund_usage(), fund_posting("FPO1", amount),
        fund_posting("FPO2", "125.50"), fund_usage(fu_id="1792", tpm_id="TPM9"))]
    gateway.run_until_idle()
    return [gateway.bdoc(s["bdoc_id"]) for s in sent]


@pytest.fixture
def recorded(sapgw_clock: Clock, tmp_path: Path) -> Iterator[tuple[Path, list[dict], dict]]:
    """The cassette of one run, the BDocs of that run and a synchronous read of BKPF."""
    cassette = tmp_path / "erp.jsonl"
    gateway = recording_gateway(sapgw_clock, cassette)
    try:
        details = run_flow(gateway)
        with gateway.destination("ERP") as erp:
            bkpf = erp.call("RFC_READ_TABLE", **BKPF_QUERY)
        yield cassette, details, bkpf
    finally:
        gateway.close()


def test_replay_reaches_the_recorded_states(recorded, sapgw_clock):
    cassette, details, bkpf = recorded
    assert [d["state"] for d in details] == ["F04", "F04", "F04", "F04", "E06"]
    lines = read_lines(cassette)
    units = [ln for ln in lines if ln["tid"]]
    assert {ln["queue"] for ln in units} >= {"R3AUFMFPO1791"}
    assert units[-1]["error"]["class"] == "ABAPApplicationError" and "TPM9" in units[-1][
        "error"]["message"]
    assert lines[-1]["function"] == "RFC_READ_TABLE" and lines[-1]["tid"] is None
    assert len(bkpf["DATA"]) == 1

    replay = replaying_gateway(sapgw_clock, cassette)
    try:
        assert replay.settings.rfc_destination == ""
        replayed = run_flow(replay)
        assert [d["state"] for d in replayed] == [d["state"] for d in details]
        assert replayed[-1]["error"] == details[-1]["error"]
        assert replay.queues() == [q for q in replay.queues() if q["status"] == "SYSFAIL"]
        with replay.destination("ERP") as erp:
            assert erp.call("RFC_READ_TABLE", **BKPF_QUERY) == bkpf
        assert replay.destinations.local_systems() == [], "no ERP stub behind a replay"
    finally:
        replay.close()


def test_replay_stops_a_queue_whose_call_was_not_recorded(recorded, sapgw_clock):
    cassette, _, _ = recorded
    replay = replaying_gateway(sapgw_clock, cassette)
    try:
        details = run_flow(replay, amount="99.00")
        # FPO2 waits behind FPO1 in the fund usage's queue, which stopped (SYSFAIL).
        assert [d["state"] for d in details] == ["F04", "F04", "E06", "I02", "E06"]
        assert ("replay: no recorded unit CRM_FM_ACL_ACCRUAL_R3_IN matches; nearest differs "
                "in IT_ITEMS[0].AMOUNT: recorded '250.00', got '99.00'") in details[2]["error"]
    finally:
        replay.close()


def test_cli_diff_of_two_recordings(recorded, sapgw_clock, tmp_path, capsys):
    cassette, _, _ = recorded
    second = tmp_path / "second.jsonl"
    gateway = recording_gateway(sapgw_clock, second)
    try:
        run_flow(gateway, amount="260.00")
    finally:
        gateway.close()

    # The same run recorded twice differs in TIDs only, which diff never compares.
    assert main(["cassette", "diff", str(cassette), str(cassette)]) == 0
    assert "no differences (A: 6 calls, B: 6 calls)" in capsys.readouterr().out
    assert main(["cassette", "diff", str(cassette), str(second), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["equal"] is False and report["calls"] == [6, 5]
    assert [(d["kind"], d["function"], d["path"], d["a"], d["b"])
            for d in report["differences"]] == [
        ("field", "CRM_FM_ACL_ACCRUAL_R3_IN", "params.IT_ITEMS[0].AMOUNT", "250.00", "260.00"),
        ("only_a", "RFC_READ_TABLE", "", None, None)]
    assert main(["cassette", "diff", str(cassette), str(cassette),
                 "--ignore", "IT_ITEMS.*.AMOUNT"]) == 0

    result = subprocess.run([sys.executable, "-m", "sapgw.gateway.cli", "cassette", "diff",
                             str(cassette), str(second)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1, result.stderr
    assert ("A#3 B#3 CRM_FM_ACL_ACCRUAL_R3_IN params.IT_ITEMS[0].AMOUNT: A '250.00', "
            "B '260.00'") in result.stdout
    assert "A#6 RFC_READ_TABLE: only in A" in result.stdout
    assert "2 difference(s) (A: 6 calls, B: 5 calls)" in result.stdout

    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n")
    for bad in (broken, tmp_path / "missing.jsonl"):
        result = subprocess.run([sys.executable, "-m", "sapgw.gateway.cli", "cassette", "diff",
                                 str(cassette), str(bad)], capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert str(bad) in result.stderr
