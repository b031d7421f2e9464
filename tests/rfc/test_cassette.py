"""Cassettes: recording, replaying, masking, matching and diffing RFC traffic."""

import configparser
import json
import re
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sapgw.clock import Clock
from sapgw.gateway.cli import main
from sapgw.gateway.config import ConfigError, parse_settings
from sapgw.gateway.rfc.destinations import Destinations
from sapgw.rfc.cassette import (
    CassetteError,
    RecordingConnection,
    Replay,
    ReplayConnection,
    diff,
    read_lines,
)
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import ABAPApplicationError, CommunicationError, ExternalRuntimeError
from sapgw.types import RfcCall, new_tid


class FakeSystem(RfcConnection):
    """A receiver with exactly-once units and a few functions with typed results."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.executed: dict[str, list[RfcCall]] = {}
        self.confirmed: list[str] = []

    def _call(self, function: str, params: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((function, params))
        if function == "Z_FAIL":
            raise ABAPApplicationError("ID:FL Type:E Number:046 Z_FAIL", 5, "FU_NOT_FOUND",
                                       "FL", "E", "046", "Z_FAIL",
                                       messages=[{"TYPE": "E", "MESSAGE": "not there"}])
        return {"AMOUNT": Decimal("12.50"), "WHOLE": Decimal("100"), "DATE": date(2026, 11, 22),
                "TIME": time(12, 30, 5), "RATE": 1.5, "RAW": b"\x00\xff", "COUNT": 3,
                "RETURN": [{"TYPE": "S", "MESSAGE": f"posted {params.get('KEY', '')}"}]}

    def _submit(self, tid: str, calls: list[RfcCall], queue: str | None) -> None:
        if tid in self.executed:
            return  # a second delivery is acknowledged, not executed
        if any(call.function == "Z_FAIL" for call in calls):
            raise ABAPApplicationError("posting period closed", 5, "APPLICATION_ERROR",
                                       "F5", "E", "201", "2026")
        self.executed[tid] = calls

    def _confirm(self, tid: str) -> None:
        self.confirmed.append(tid)


@pytest.fixture
def cassette(tmp_path: Path) -> Path:
    return tmp_path / "cassettes" / "erp.jsonl"


def test_call_round_trip_keeps_types(cassette):
    system = FakeSystem()
    recorder = RecordingConnection(system, cassette)
    params = {"KEY": "K1", "HEADER": {"AMOUNT": Decimal("1.10"), "DATE": date(2026, 1, 31)},
              "ROWS": [{"QTY": Decimal("2.000")}]}
    answered = recorder.call("Z_POST", **params)

    assert system.calls == [("Z_POST", params)]
    replayed = ReplayConnection.open(cassette).call("Z_POST", **params)
    assert replayed == answered
    for name in ("AMOUNT", "WHOLE", "DATE", "TIME", "RATE", "RAW", "COUNT"):
        assert type(replayed[name]) is type(answered[name]), name
    assert str(replayed["WHOLE"]) == "100" and str(replayed["AMOUNT"]) == "12.50"
    line = json.loads(cassette.read_text())
    assert line["seq"] == 1 and line["function"] == "Z_POST"
    assert line["tid"] is None and line["queue"] is None
    assert line["result"]["DATE"] == {"$date": "20261122"}
    assert '"AMOUNT":12.50' in cassette.read_text()  # money stays a readable number


def test_error_replays_as_same_class_with_attributes(cassette):
    recorder = RecordingConnection(FakeSystem(), cassette)
    with pytest.raises(ABAPApplicationError) as recorded:
        recorder.call("Z_FAIL", KEY="X")

    with pytest.raises(ABAPApplicationError) as replayed:
        ReplayConnection.open(cassette).call("Z_FAIL", KEY="X")
    for attr in ("message", "code", "key", "msg_class", "msg_type", "msg_number", "msg_v1",
                 "messages"):
        assert getattr(replayed.value, attr) == getattr(recorded.value, attr), attr
    assert str(replayed.value) == str(recorded.value)


def test_secrets_are_masked_and_still_match(cassette):
    recorder = RecordingConnection(FakeSystem(), cassette)
    recorder.call("BAPI_USER_CHANGE", USERNAME="ALICE", PASSWORD={"BAPIPWD": "geheim1"},
                  PASSWORDX={"BAPIPWD": "X"}, NEW_PASSWD="geheim2", ITEMS=[{"PWD": "geheim3"}],
                  OLD_PASSWORD="")

    text = cassette.read_text()
    assert "geheim" not in text
    params = json.loads(text)["params"]
    assert params["PASSWORD"] == "***" and params["NEW_PASSWD"] == "***"
    assert params["ITEMS"] == [{"PWD": "***"}] and params["USERNAME"] == "ALICE"
    assert params["OLD_PASSWORD"] == "", "an empty value says nothing and stays visible"
    # A replay compares masked values, so the same call with any password matches.
    result = ReplayConnection.open(cassette).call(
        "BAPI_USER_CHANGE", USERNAME="ALICE", PASSWORD={"BAPIPWD": "other"},
        PASSWORDX={"BAPIPWD": "X"}, NEW_PASSWD="x", ITEMS=[{"PWD": "y"}], OLD_PASSWORD="")
    assert result["COUNT"] == 3


def test_mismatch_names_function_and_differing_parameter(cassette):
    recorder = RecordingConnection(FakeSystem(), cassette)
    recorder.call("BAPI_ACC_DOCUMENT_POST", DOCUMENTHEADER={"BUS_ACT": "RFBU", "COMP_CODE": "1000"})

    replay = ReplayConnection.open(cassette)
    with pytest.raises(ExternalRuntimeError) as exc:
        replay.call("BAPI_ACC_DOCUMENT_POST", DOCUMENTHEADER={"BUS_ACT": "RFST",
                                                              "COMP_CODE": "1000"})
    assert exc.value.message == (
        "replay: no recorded call of BAPI_ACC_DOCUMENT_POST matches; nearest differs in "
        "DOCUMENTHEADER.BUS_ACT: recorded 'RFBU', got 'RFST' (cassette seq 1)")
    assert not exc.value.retryable
    with pytest.raises(ExternalRuntimeError, match="BAPI_OTHER left: the cassette has none"):
        replay.call("BAPI_OTHER")


def test_matching_modes(cassette):
    recorder = RecordingConnection(FakeSystem(), cassette)
    recorder.call("Z_POST", KEY="A")
    recorder.call("Z_POST", KEY="B")

    by_params = ReplayConnection.open(cassette)  # default: any unused one with equal params
    assert by_params.call("Z_POST", KEY="B")["RETURN"][0]["MESSAGE"] == "posted B"
    assert by_params.call("Z_POST", KEY="A")["RETURN"][0]["MESSAGE"] == "posted A"
    with pytest.raises(ExternalRuntimeError, match="all 2 recordings of it are used"):
        by_params.call("Z_POST", KEY="A")

    in_order = ReplayConnection.open(cassette, match="order")
    with pytest.raises(ExternalRuntimeError, match="differs in KEY: recorded 'A', got 'B'"):
        in_order.call("Z_POST", KEY="B")
    with pytest.raises(ExternalRuntimeError, match=r"expected the recorded call of Z_POST "
                                                   r"\(seq 1\) next, got call of Z_OTHER"):
        in_order.call("Z_OTHER")

    by_function = ReplayConnection.open(cassette, match="function")
    assert by_function.call("Z_POST", KEY="C")["RETURN"][0]["MESSAGE"] == "posted A"
    ignoring = ReplayConnection.open(cassette, ignore=["KEY"])
    assert ignoring.call("Z_POST", KEY="Z")["RETURN"][0]["MESSAGE"] == "posted A"
    with pytest.raises(ValueError, match="not one of"):
        ReplayConnection.open(cassette, match="fuzzy")


def test_units_are_recorded_with_tid_and_queue_and_stay_exactly_once(cassette):
    system = FakeSystem()
    recorder = RecordingConnection(system, cassette)
    unit = recorder.initialize_unit(background=False)
    calls = [("Z_POST", {"KEY": "A"}), ("BAPI_TRANSACTION_COMMIT", {"WAIT": "X"})]
    recorder.fill_and_submit_unit(unit, calls, queue_names=["R3AUFM1791"])
    recorder.confirm_unit(unit)
    # A batch: the first unit was executed before (a resend), the second fails, the third
    # is never sent.
    ok, bad, never = new_tid(), new_tid(), new_tid()
    done, failure = recorder.submit_units([
        (unit["id"], [RfcCall(f, p) for f, p in calls], "R3AUFM1791"),
        (ok, [RfcCall("Z_POST", {"KEY": "B"})], "R3AUFM1792"),
        (bad, [RfcCall("Z_POST", {"KEY": "C"}), RfcCall("Z_FAIL", {})], None),
        (never, [RfcCall("Z_POST", {"KEY": "D"})], None)])

    assert done == 2 and isinstance(failure, ABAPApplicationError)
    assert list(system.executed) == [unit["id"], ok], "the wrapped receiver ran each TID once"
    assert system.confirmed == [unit["id"]]
    lines = read_lines(cassette)
    assert [(ln["seq"], ln["function"], ln["tid"], ln["queue"], ln["part"], ln["parts"])
            for ln in lines] == [
        (1, "Z_POST", unit["id"], "R3AUFM1791", 1, 2),
        (2, "BAPI_TRANSACTION_COMMIT", unit["id"], "R3AUFM1791", 2, 2),
        (3, "Z_POST", unit["id"], "R3AUFM1791", 1, 2),
        (4, "BAPI_TRANSACTION_COMMIT", unit["id"], "R3AUFM1791", 2, 2),
        (5, "Z_POST", ok, "R3AUFM1792", 1, 1),
        (6, "Z_POST", bad, None, 1, 2),
        (7, "Z_FAIL", bad, None, 2, 2)]
    assert lines[5]["result"] is None and "error" not in lines[5]
    assert lines[6]["error"]["class"] == "ABAPApplicationError"
    assert lines[6]["error"]["message"] == "posting period closed"

    replay = Replay.load(cassette)
    sender = replay.connect()
    tid = new_tid()  # a new run has new TIDs: units match by their calls
    sender.fill_and_submit_unit({"id": tid, "background": False}, calls, ["R3AUFM1791"])
    # The same TID again (a crash before the sender's commit) is only acknowledged ...
    assert sender.submit_units([(tid, [RfcCall(f, p) for f, p in calls], None)]) == (1, None)
    assert len(replay.used) == 1
    # ... and another connection of the same replayed system knows it too.
    again = replay.connect()
    assert again.submit_units([(tid, [RfcCall(f, p) for f, p in calls], None)]) == (1, None)
    failing = [RfcCall("Z_POST", {"KEY": "C"}), RfcCall("Z_FAIL", {})]
    retry = new_tid()
    with pytest.raises(ABAPApplicationError, match="posting period closed"):
        again._submit(retry, failing, None)
    with pytest.raises(ExternalRuntimeError, match="no recorded unit Z_POST, Z_FAIL left"):
        again._submit(retry, failing, None)  # rolled back: a retry needs another recording


def test_communication_error_is_recorded_and_replayed_retryable(cassette):
    class Down(FakeSystem):
        def _call(self, function: str, params: dict[str, Any]) -> dict[str, Any]:
            raise CommunicationError("partner not reached", 1, "RFC_COMMUNICATION_FAILURE")

    with pytest.raises(CommunicationError):
        RecordingConnection(Down(), cassette).call("RFC_PING")
    with pytest.raises(CommunicationError) as exc:
        ReplayConnection.open(cassette).ping()
    assert exc.value.retryable and exc.value.key == "RFC_COMMUNICATION_FAILURE"


def test_seq_continues_across_writers_and_processes(cassette):
    RecordingConnection(FakeSystem(), cassette).call("Z_POST", KEY="A")
    with cassette.open("a") as other_process:  # another worker appended meanwhile
        other_process.write('{"seq":2,"function":"Z_POST","tid":null,"queue":null,'
                            '"params":{"KEY":"B"},"result":{}}\n')
    RecordingConnection(FakeSystem(), cassette).call("Z_POST", KEY="C")
    assert [ln["seq"] for ln in read_lines(cassette)] == [1, 2, 3]


def _line(seq: int, function: str, params: dict[str, Any], result: Any) -> dict[str, Any]:
    return {"seq": seq, "function": function, "tid": None, "queue": None, "params": params,
            "result": result}


def test_diff_field_by_field_with_ignore():
    stub = [_line(1, "BAPI_ACC_DOCUMENT_POST", {"X": "1"}, {
                "OBJ_KEY": "100000001", "RETURN": [{"TYPE": "S", "MESSAGE": "posted",
                                                    "MESSAGE_V2": "100000001"}]}),
            _line(2, "RFC_PING", {}, {})]
    real = [_line(1, "BAPI_ACC_DOCUMENT_POST", {"X": "1"}, {
                "OBJ_KEY": "4900000012", "RETURN": [{"TYPE": "S", "MESSAGE": "Document posted",
                                                     "MESSAGE_V2": "4900000012"}]}),
            _line(2, "Z_EXTRA", {}, {}),
            _line(3, "RFC_PING", {}, {})]

    found = diff(stub, real)
    assert [(d.path, d.a, d.b) for d in found if d.path] == [
        ("result.OBJ_KEY", "100000001", "4900000012"),
        ("result.RETURN[0].MESSAGE", "posted", "Document posted"),
        ("result.RETURN[0].MESSAGE_V2", "100000001", "4900000012")]
    assert [(d.function, d.a_seq, d.b_seq) for d in found if not d.path] == [
        ("Z_EXTRA", None, 2)], "an extra call does not shift the comparison of later ones"
    assert found[1].text() == ("A#1 B#1 BAPI_ACC_DOCUMENT_POST result.RETURN[0].MESSAGE: "
                               "A 'posted', B 'Document posted'")

    ignored = diff(stub, real, ["OBJ_KEY", "RETURN.*.MESSAGE_V2", "result.RETURN[*].MESSAGE"])
    assert [d.text() for d in ignored] == ["B#2 Z_EXTRA: only in B"]
    assert diff(stub, stub) == []


def test_diff_compares_outcome_and_types_not_tids():
    a = [{**_line(1, "Z", {"AMOUNT": Decimal("1.00")}, None), "tid": "A" * 24, "part": 1,
          "parts": 1}]
    b = [{**a[0], "tid": "B" * 24, "params": {"AMOUNT": "1.00"}}]
    assert [(d.path, d.a, d.b) for d in diff(a, b)] == [
        ("params.AMOUNT", Decimal("1.00"), "1.00")]
    failed = [{**a[0], "error": {"class": "ABAPApplicationError", "message": "no"}}]
    del failed[0]["result"]
    assert [d.path for d in diff(a, failed)] == ["result", "error"]


def test_bad_cassettes_are_reported_with_the_line(tmp_path):
    with pytest.raises(CassetteError, match="cannot read cassette"):
        read_lines(tmp_path / "missing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"seq":1,"function":"Z","params":{},"result":{}}\nnot json\n')
    with pytest.raises(CassetteError, match="line 2: not JSON"):
        read_lines(bad)
    bad.write_text('{"seq":1,"function":"Z","params":{}}\n')
    with pytest.raises(CassetteError, match="line 1: needs exactly one of result and error"):
        read_lines(bad)
    bad.write_text('{"seq":1,"function":"Z","tid":"T","params":{},"part":2,"parts":2,'
                   '"result":null}\n')
    with pytest.raises(CassetteError, match="line 1: a unit must start at part 1"):
        Replay.load(bad)


def test_bad_tags_and_cut_lines_are_reported_and_the_cli_exits_2(tmp_path, capsys):
    good = tmp_path / "good.jsonl"
    good.write_text('{"seq":1,"function":"Z","params":{},"result":{}}\n')
    bad = tmp_path / "bad.jsonl"
    cases = {'{"seq":1,"function":"Z","params":{"A":{"$decimal":"abc"}},"result":{}}\n':
             re.escape('line 1: {"$decimal": "abc"} is not a valid decimal'),
             '{"seq":1,"function":"Z","params":{"D":{"$date":"2026"}},"result":{}}\n':
             re.escape('line 1: {"$date": "2026"} is not a valid date'),
             '{"seq":1,"function":"Z","params":{},"result":{}}\n{"seq":2,"func':
             "line 2: not JSON .*the line is cut off",
             '{"seq":1,"function":"Z","tid":"T","params":{},"part":2,"parts":2,"result":null}\n':
             "line 1: a unit must start at part 1",
             '{"seq":1,"function":"Z","params":{},"error":"boom"}\n':
             "line 1: error must be an object with the error's class"}
    for content, message in cases.items():
        bad.write_text(content)
        with pytest.raises(CassetteError, match=message):
            Replay.load(bad)
        assert main(["cassette", "diff", str(good), str(bad)]) == 2, content
        assert str(bad) in capsys.readouterr().err


def test_a_line_cut_by_a_crash_does_not_swallow_the_next_recording(cassette):
    RecordingConnection(FakeSystem(), cassette).call("Z_POST", KEY="A")
    with cassette.open("a") as crashed:  # a worker died in the middle of its line
        crashed.write('{"seq":2,"function":"Z_POST","par')
    RecordingConnection(FakeSystem(), cassette).call("Z_POST", KEY="C")
    lines = cassette.read_text().splitlines()
    assert lines[1] == '{"seq":2,"function":"Z_POST","par'
    assert json.loads(lines[2])["seq"] == 3 and json.loads(lines[2])["params"] == {"KEY": "C"}


def test_a_cassette_that_cannot_be_written_fails_the_call_retryably(tmp_path):
    (tmp_path / "file").write_text("")
    recorder = RecordingConnection(FakeSystem(), tmp_path / "file" / "erp.jsonl")
    with pytest.raises(CommunicationError, match="cannot write cassette") as exc:
        recorder.call("Z_POST", KEY="A")
    assert exc.value.retryable  # a queue goes CPICERR and resends; the TID makes it harmless


def _settings(tmp_path: Path, **destinations: dict[str, str]) -> Any:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_dict({"gateway": {"serve_rfc": ""},
                      **{f"destination {n}": d for n, d in destinations.items()}})
    return parse_settings(parser, tmp_path, None)


def test_config_validates_record_and_replay(tmp_path):
    (tmp_path / "erp.jsonl").write_text("")
    settings = _settings(tmp_path, ERP_LOCAL={"type": "local"},
                         ERP={"type": "record", "wraps": "ERP_LOCAL", "cassette": "rec.jsonl"},
                         OLD={"type": "replay", "cassette": "erp.jsonl", "match": "order"})
    assert settings.destinations["ERP"].params == {
        "wraps": "ERP_LOCAL", "cassette": str(tmp_path / "rec.jsonl")}
    assert settings.destinations["OLD"].params["cassette"] == str(tmp_path / "erp.jsonl")

    with pytest.raises(ConfigError) as exc:
        _settings(tmp_path, A={"type": "record", "wraps": "A", "cassette": "a.jsonl"},
                  B={"type": "record", "wraps": "C", "cassette": "b.jsonl"},
                  C={"type": "record", "wraps": "B", "cassette": "c.jsonl"},
                  D={"type": "record", "cassette": "d.jsonl"},
                  E={"type": "record", "wraps": "NOPE"},
                  F={"type": "replay", "cassette": "none.jsonl", "match": "fuzzy"})
    problems = exc.value.problems
    assert "[destination A] wraps: a destination cannot wrap itself" in problems
    assert "[destination B] wraps: B -> C -> B wraps in a circle" in problems
    assert "[destination D] wraps: is required: the destination whose calls are recorded" \
        in problems
    assert "[destination E] wraps: no [destination NOPE] section" in problems
    assert any(p.startswith("[destination E] cassette: is required") for p in problems)
    assert "[destination F] match: 'fuzzy' is not one of params, order, function" in problems
    assert any(p.startswith("[destination F] cassette:") and "does not exist" in p
               for p in problems)

    (tmp_path / "afile").write_text("")
    (tmp_path / "adir").mkdir()
    with pytest.raises(ConfigError) as exc:
        _settings(tmp_path, L={"type": "local"},
                  G={"type": "record", "wraps": "L", "cassette": "afile/erp.jsonl"},
                  H={"type": "record", "wraps": "L", "cassette": "adir"})
    assert exc.value.problems == [
        f"[destination G] cassette: {tmp_path / 'afile'} is not a directory, so "
        f"{tmp_path / 'afile' / 'erp.jsonl'} cannot be created",
        f"[destination H] cassette: {tmp_path / 'adir'} is not a file"]


def test_a_replay_cassette_that_cannot_be_read_refuses_the_start(tmp_path):
    (tmp_path / "cut.jsonl").write_text('{"seq":1,"function":"Z","params":{},"resu')
    settings = _settings(tmp_path, OLD={"type": "replay", "cassette": "cut.jsonl"})
    with pytest.raises(ConfigError, match=r"\[destination OLD\] cassette: .*cut.jsonl: line 1"):
        Destinations(settings, Clock())
