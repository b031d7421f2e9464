"""The table buffer's DDLOG check before every call (issue 15): read on a connection of its
own, it sees another process's commit at once and costs a read transaction only when the
DDLOG number moved."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event

from sapgw.clock import Clock
from sapgw.erp_stub import create_system
from sapgw.erp_stub.fbas.tables import T001
from sapgw.erp_stub.kernel.buffer import NEWEST, write_ddlog


def test_a_change_committed_elsewhere_drops_the_table_at_the_next_call(
        tmp_path: Path, clock: Clock) -> None:
    url = f"sqlite:///{tmp_path / 'erp.db'}"
    first, second = create_system(url, clock=clock), create_system(url, clock=clock)
    try:
        first.preload_buffer()
        loaded = first.buffer.loaded(T001)
        assert loaded is not None

        first.sync_buffer()  # nothing changed: the same rows, no reload
        assert first.buffer.loaded(T001) is loaded

        with second.db.write() as conn:  # as SM30 in another process: change and DDLOG
            write_ddlog(conn, ["T001"], clock.now())
        first.sync_buffer()

        assert first.buffer.loaded(T001) is None
    finally:
        first.db.dispose()
        second.db.dispose()


def test_an_unchanged_buffer_costs_no_transaction(tmp_path: Path, clock: Clock) -> None:
    erp = create_system(f"sqlite:///{tmp_path / 'erp.db'}", clock=clock)
    try:
        erp.preload_buffer()
        begun: list[object] = []
        event.listen(erp.db.engine, "begin", begun.append)
        for _ in range(3):
            erp.sync_buffer()
        assert begun == []

        with erp.db.write() as conn:
            write_ddlog(conn, ["T001"], clock.now())
        begun.clear()
        erp.sync_buffer()
        assert len(begun) == 1  # the number moved: one read of what changed
    finally:
        erp.db.dispose()


def test_peek_reads_the_last_commit_and_survives_dispose(tmp_path: Path, clock: Clock) -> None:
    erp = create_system(f"sqlite:///{tmp_path / 'erp.db'}", clock=clock)
    try:
        before = erp.db.peek(NEWEST)[0][0] or 0
        with erp.db.write() as conn:
            write_ddlog(conn, ["T001", "T003"], clock.now())
        assert erp.db.peek(NEWEST)[0][0] == before + 2
        erp.db.dispose()
        assert erp.db.peek(NEWEST)[0][0] == before + 2
    finally:
        erp.db.dispose()
