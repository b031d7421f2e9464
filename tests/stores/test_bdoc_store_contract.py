"""The BDoc store's contract, on every backend of the `database` fixture (SQLite, PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from sapgw.bdoc.message import MBDoc
from sapgw.bdoc.states import BDocState, IllegalTransition
from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.gateway.store.bdocs import BDocNotFound, BDocStore, LogEntry
from sapgw.gateway.store.tables import GatewayTable
from sapgw.types import new_bdoc_id, new_tid

START = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
DATA: dict[str, Any] = {
    "HEADER": {"FU_ID": "1791", "DESCRIPTION": "Sommeraktion – Größe XL, 促销 ✓"},
    "ITEMS": [{"ITEM_ID": "10", "AMOUNT": "1000.00", "TAGS": ["a", ["b", 1], []]},
              {"ITEM_ID": "20", "AMOUNT": "-0.01", "TAGS": []}],
    "FLAGS": {"ACTIVE": True, "NOTE": None, "COUNT": 3},
}


@pytest.fixture
def clock() -> Clock:
    return Clock(frozen_at=START)


@pytest.fixture
def store(database: Database, clock: Clock) -> BDocStore:
    database.create_all(GatewayTable.metadata)
    return BDocStore(database, clock)


def received(store: BDocStore, data: dict[str, Any] | None = None, object_key: str = "1791",
             created_at: datetime | None = None) -> str:
    """Insert a new BDoc (I01) in its own transaction; answer its id."""
    bdoc = MBDoc(new_bdoc_id(), "CRM_FM_FU", "CRM", "MO1", created_at or store.now(),
                 DATA if data is None else data)
    with store.db.write() as conn:
        store.insert(conn, bdoc, object_key)
    return bdoc.bdoc_id


def move(store: BDocStore, bdoc_id: str, *states: BDocState) -> None:
    with store.db.write() as conn:
        for state in states:
            store.change_state(conn, bdoc_id, state, LogEntry("TEST", f"to {state}"))


def test_insert_round_trips_header_body_and_first_log_row(store: BDocStore):
    bdoc_id = received(store, object_key="K" * 50)
    with store.db.read() as conn:
        header = store.header(conn, bdoc_id)
        body = store.body(conn, bdoc_id)
        log = store.log_entries(conn, bdoc_id)
        state = store.state(conn, bdoc_id)

    assert body == DATA
    assert state is BDocState.I01
    assert {k: header[k] for k in ("bdoc_id", "bdoc_type", "state", "flow_context", "sender",
                                   "object_key", "error", "schema_version")} == {
        "bdoc_id": bdoc_id, "bdoc_type": "CRM_FM_FU", "state": "I01", "flow_context": "MO1",
        "sender": "CRM", "object_key": "K" * 40, "error": "", "schema_version": 1}
    assert header["created_at"] == header["updated_at"] == START
    assert [(e["service"], e["state_from"], e["state_to"]) for e in log] == [
        ("RECEIVE", "", "I01")]


def test_bodies_are_kept_apart_per_bdoc(store: BDocStore):
    first = received(store, {"HEADER": {"FU_ID": "1"}})
    second = received(store, {"HEADER": {"FU_ID": "2"}, "ITEMS": [[1, [2, [3]]]]})
    with store.db.read() as conn:
        assert store.body(conn, first) == {"HEADER": {"FU_ID": "1"}}
        assert store.body(conn, second) == {"HEADER": {"FU_ID": "2"}, "ITEMS": [[1, [2, [3]]]]}


def test_change_state_updates_header_and_logs_from_and_to(store: BDocStore, clock: Clock):
    bdoc_id = received(store)
    clock.advance(timedelta(seconds=5))
    with store.db.write() as conn:
        old = store.change_state(conn, bdoc_id, BDocState.I02, LogEntry(
            "REPLICATION", "Written to queue R3AUFMFU1791", "S", "SMW3", "012"))
        store.change_state(conn, bdoc_id, BDocState.E06, LogEntry("QOUT", "failed", "E"),
                           error="Project TPM9 does not exist " + "x" * 300)
    clock.advance(timedelta(seconds=5))
    move(store, bdoc_id, BDocState.F04)  # error=None keeps the header's error text

    assert old is BDocState.I01
    with store.db.read() as conn:
        header = store.header(conn, bdoc_id)
        log = store.log_entries(conn, bdoc_id)
    assert header["state"] == "F04"
    assert header["error"].startswith("Project TPM9") and len(header["error"]) == 255
    assert header["created_at"] == START
    assert header["updated_at"] == START + timedelta(seconds=10)
    assert [(e["state_from"], e["state_to"]) for e in log] == [
        ("", "I01"), ("I01", "I02"), ("I02", "E06"), ("E06", "F04")]
    second = log[1]
    assert (second["service"], second["msg_type"], second["msg_class"], second["msg_number"],
            second["message"], second["at"]) == (
        "REPLICATION", "S", "SMW3", "012", "Written to queue R3AUFMFU1791",
        START + timedelta(seconds=5))


@pytest.mark.parametrize(("path", "illegal"), [
    ((BDocState.I01,), BDocState.O01),  # (I01 -> F04 is an MI0 flow saving in CRM)
    ((BDocState.I01, BDocState.I02, BDocState.F04), BDocState.E06),
    ((BDocState.I01, BDocState.I02, BDocState.F04), BDocState.I01),
])
def test_illegal_transition_is_refused_and_changes_nothing(
        store: BDocStore, clock: Clock, path: tuple[BDocState, ...], illegal: BDocState):
    bdoc_id = received(store)
    move(store, bdoc_id, *path[1:])
    with store.db.read() as conn:
        before = (store.header(conn, bdoc_id), store.log_entries(conn, bdoc_id))
    clock.advance(timedelta(minutes=1))

    with pytest.raises(IllegalTransition) as refused, store.db.write() as conn:
        store.change_state(conn, bdoc_id, illegal, LogEntry("TEST", "no"), error="boom")
    assert (refused.value.old, refused.value.new) == (path[-1], illegal)
    with store.db.read() as conn:
        assert (store.header(conn, bdoc_id), store.log_entries(conn, bdoc_id)) == before


def test_log_without_state_change_keeps_the_state(store: BDocStore):
    bdoc_id = received(store)
    with store.db.write() as conn:
        store.log(conn, bdoc_id, LogEntry("SMW01", "Reprocess requested", "W"))
        assert store.state(conn, bdoc_id) is BDocState.I01
        last = store.log_entries(conn, bdoc_id)[-1]
    assert (last["state_from"], last["state_to"], last["msg_type"], last["message"]) == (
        "", "", "W", "Reprocess requested")


def test_receivers_are_added_and_updated(store: BDocStore, clock: Clock):
    bdoc_id = received(store)
    tid_erp, tid_again = new_tid(), new_tid()
    with store.db.write() as conn:
        store.add_receiver(conn, bdoc_id, "ERP", "R3AUFMFU1791", tid_erp)
        store.add_receiver(conn, bdoc_id, "CDB", "CDBQ1", new_tid())
        store.set_receiver(conn, bdoc_id, "ERP", "ERROR", "Project TPM9 does not exist")
    clock.advance(timedelta(seconds=3))
    with store.db.write() as conn:  # resent: queued again with a new TID, error cleared
        store.add_receiver(conn, bdoc_id, "ERP", "R3AUFMFU1791", tid_again)
        receivers = store.receivers(conn, bdoc_id)

    assert [r["site"] for r in receivers] == ["CDB", "ERP"]
    erp = receivers[1]
    assert (erp["state"], erp["queue"], erp["tid"], erp["error"]) == (
        "QUEUED", "R3AUFMFU1791", tid_again, "")
    assert erp["updated_at"] == START + timedelta(seconds=3)
    assert receivers[0]["updated_at"] == START


@pytest.mark.parametrize(("states", "expected"), [
    (["CONFIRMED"], BDocState.F04),
    (["CONFIRMED", "CONFIRMED"], BDocState.F04),
    (["CONFIRMED", "DISCARDED"], BDocState.F04),
    (["ERROR"], BDocState.E06),
    (["ERROR", "QUEUED"], BDocState.E06),
    (["ERROR", "CONFIRMED"], BDocState.E02),
    (["CONFIRMED", "QUEUED"], BDocState.O01),
    (["QUEUED", "QUEUED"], BDocState.I02),
])
def test_state_from_receivers(store: BDocStore, states: list[str], expected: BDocState):
    bdoc_id = received(store)
    with store.db.write() as conn:
        for number, state in enumerate(states):
            store.add_receiver(conn, bdoc_id, f"SITE{number}", f"Q{number}", new_tid())
            if state != "QUEUED":
                store.set_receiver(conn, bdoc_id, f"SITE{number}", state)
    with store.db.read() as conn:
        assert store.state_from_receivers(conn, bdoc_id) is expected


def test_timestamps_come_back_timezone_aware_utc(store: BDocStore, clock: Clock):
    cet = timezone(timedelta(hours=1))
    bdoc_id = received(store, created_at=datetime(2026, 11, 22, 13, 0, tzinfo=cet))
    with store.db.write() as conn:
        store.add_receiver(conn, bdoc_id, "ERP", "R3AUFMFU1791", new_tid())
        store.change_state(conn, bdoc_id, BDocState.I02, LogEntry("TEST", "queued"))
    with store.db.read() as conn:
        header = store.header(conn, bdoc_id)
        stamps = [header["created_at"], header["updated_at"],
                  *(e["at"] for e in store.log_entries(conn, bdoc_id)),
                  *(r["updated_at"] for r in store.receivers(conn, bdoc_id))]
    assert all(s.utcoffset() == timedelta(0) for s in stamps), stamps
    assert header["created_at"] == START  # 13:00+01:00 is the same instant, stored as UTC


def test_unknown_bdoc_raises_bdoc_not_found(store: BDocStore):
    received(store)
    unknown = new_bdoc_id()
    with store.db.write() as conn:
        for read in (store.state, store.header, store.body):
            with pytest.raises(BDocNotFound, match=unknown):
                read(conn, unknown)
        with pytest.raises(BDocNotFound):
            store.change_state(conn, unknown, BDocState.I02, LogEntry("TEST", "x"))
        assert store.receivers(conn, unknown) == []
        assert store.log_entries(conn, unknown) == []
