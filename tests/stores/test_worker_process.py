"""`sapgw worker`: schedulers without HTTP, beside the process that sends; clean stops."""

from __future__ import annotations

import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from sapgw.db import Database
from sapgw.gateway.queues.notify import Notifier
from sapgw.gateway.runtime import Gateway
from sapgw.gateway.worker_process import run_worker
from tests.conftest import fresh_schema, require_postgres
from tests.stores.processes import (
    all_final,
    fund_posting,
    queue_rows,
    send_fund_postings,
    start_worker,
    states,
    stop_worker,
    wait_for,
    write_config,
)


def sqlite_config(tmp_path: Path, **gateway: str) -> Path:
    config = tmp_path / "config.ini"
    write_config(config, f"sqlite:///{tmp_path / 'gateway.db'}",
                 f"sqlite:///{tmp_path / 'erp.db'}", **gateway)
    return config


def test_run_worker_works_the_queues_until_stopped(tmp_path: Path):
    settings = write_config(tmp_path / "config.ini", f"sqlite:///{tmp_path / 'gw.db'}",
                            f"sqlite:///{tmp_path / 'erp.db'}")
    stop = threading.Event()
    with Gateway(settings) as sender:
        fpo_ids = send_fund_postings(sender, 10, usages=2)
        worker = threading.Thread(target=run_worker, args=(settings, stop))
        worker.start()
        try:
            wait_for(all_final(sender, len(fpo_ids) + 3), 30, "all BDocs F04")
        finally:
            stop.set()
            worker.join(timeout=30)
        assert not worker.is_alive()
        assert queue_rows(sender) == []  # worked off, released and dropped


def test_sigterm_stops_a_busy_worker_with_its_leases_released(tmp_path: Path):
    config = sqlite_config(tmp_path)
    with Gateway.open(config) as sender:
        total = len(send_fund_postings(sender, 300, usages=3)) + 4
        worker = start_worker(config, tmp_path / "worker.log")
        try:
            wait_for(lambda: states(sender).get("F04", 0) >= 20, 30, "work under way",
                     (worker,))
        finally:
            code = stop_worker(worker, signal.SIGTERM)
        assert code == 0, (tmp_path / "worker.log").read_text()
        left = queue_rows(sender)
        assert [q for q in left if q["status"] == "RUNNING" or q["claimed_by"]] == []
        if states(sender).get("F04", 0) < total:  # stopped mid-way: a new worker finishes
            assert left
            again = start_worker(config, tmp_path / "worker.log")
            try:
                wait_for(all_final(sender, total), 60, "all BDocs F04", (again,))
            finally:
                assert stop_worker(again) == 0


def test_a_config_with_a_bad_lease_is_refused(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]):
    from sapgw.gateway.cli import main

    config = sqlite_config(tmp_path)
    assert main(["--config", str(config), "config", "check"]) == 0
    text = config.read_text()
    text = re.sub(r"^lease_seconds = .*$", "lease_seconds = 0", text, flags=re.M)
    config.write_text(re.sub(r"^bdoc_retention_days = .*$", "bdoc_retention_days = -1", text,
                             flags=re.M))
    assert main(["--config", str(config), "config", "check"]) == 2
    problems = capsys.readouterr().err
    assert "[gateway] lease_seconds: 0.0 is outside" in problems
    assert "[gateway] bdoc_retention_days: -1 is outside" in problems


@pytest.mark.postgres
def test_notify_wakes_a_listener_in_another_process_view():
    db = Database(require_postgres(), fresh_schema())
    other = Database(db.url, db.schema)
    listener, sender = Notifier(db), Notifier(other)
    woken: list[str] = []
    ready = threading.Event()

    def on_notify(direction: str) -> None:
        woken.append(direction)
        ready.set()

    try:
        listener.listen(on_notify)
        assert ready.wait(10)  # the listener wakes both directions once it listens
        woken.clear()
        sender.notify("out")
        sender.notify("out")
        wait_for(lambda: "out" in woken, 10, "the NOTIFY")
        assert set(woken) == {"out"}
    finally:
        listener.close()
        sender.close()
        db.drop_schema()
        db.dispose()
        other.dispose()


@pytest.mark.postgres
def test_two_workers_on_postgresql_woken_by_notify(tmp_path: Path):
    """The poll interval is a minute: only NOTIFY can make the workers this quick."""
    url = require_postgres()
    schemas = (fresh_schema(), fresh_schema())
    config = tmp_path / "config.ini"
    settings = write_config(config, url, url, schemas, poll_interval="60")
    workers: list[subprocess.Popen[bytes]] = []
    try:
        with Gateway(settings) as sender:
            send_fund_postings(sender, 1, usages=4)  # setup and warm-up, worked here
            sender.run_until_idle()
            workers += [start_worker(config, tmp_path / f"worker{i}.log") for i in range(2)]
            time.sleep(2.0)  # both listen before the next send
            for i in range(40):
                sender.send("CRM_FM_FPO", fund_posting(f"N{i:07d}", str(1791 + i % 4)))
            wait_for(all_final(sender, 46), 30, "all BDocs F04", tuple(workers))
            for worker in workers:
                assert stop_worker(worker) == 0
            assert queue_rows(sender) == []
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        for schema in schemas:
            db = Database(url, schema)
            db.drop_schema()
            db.dispose()
