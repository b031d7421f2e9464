"""Background jobs ([job NAME], SM36/SM37): the section's checks, one run per occurrence
whichever process fires it, the log of each run, and APScheduler firing them."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.gateway.config import ConfigError
from sapgw.gateway.jobs import store
from sapgw.gateway.jobs.runner import JobRunner
from sapgw.gateway.runtime import Gateway
from sapgw.gateway.store.tables import GatewayTable
from tests.gateway.test_units import settings_with

NOW = datetime(2026, 11, 22, 12, 0, 30, tzinfo=UTC)
CAT7 = {"function": "CATS_TRANSFER_TO_CO", "cron": "", "interval": "60", "enabled": "yes"}


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    with Gateway.in_memory(clock=Clock(frozen_at=NOW), overrides={"job CAT7": CAT7}) as gw:
        yield gw


def save_hours(gateway: Gateway, hours: str = "2.5") -> str:
    """An approved time sheet record, saved over the ERP destination as any client would."""
    connection = gateway.destination("ERP")
    try:
        result = connection.call("BAPI_CATIMESHEETMGR_INSERT", CATSRECORDS_IN=[{
            "WORKDATE": "20261120", "EMPLOYEENUMBER": "1001", "CATSHOURS": Decimal(hours),
            "ACTTYPE": "SRVHR", "REC_CCTR": "1000"}])
        connection.call("BAPI_TRANSACTION_COMMIT")
    finally:
        connection.close()
    return str(result["CATSRECORDS_OUT"][0]["COUNTER"])


def test_job_sections_are_checked() -> None:
    with pytest.raises(ConfigError) as error:
        settings_with(job__A={"function": "X", "cron": "0 2 * * *", "interval": "60"},
                      job__B={"interval": "60", "parameters": "[1]", "destination": "NOPE"},
                      job__C={"function": "X", "cron": "61 * * * *", "parameters": "{x"},
                      job__D={"function": "X", "interval": "60", "colour": "red"})
    problems = error.value.problems
    assert "[job A] cron: give either cron (crontab) or interval (seconds)" in problems
    assert "[job B] function: is required: the RFC function the job calls" in problems
    assert "[job B] parameters: must be a JSON object of parameter: value" in problems
    assert "[job B] destination: no [destination NOPE] section" in problems
    assert any(p.startswith("[job C] cron: '61 * * * *' is not a crontab") for p in problems)
    assert any(p.startswith("[job C] parameters: is not JSON") for p in problems)
    assert any(p.startswith("[job D] colour: unknown key") for p in problems)


def test_each_occurrence_runs_once_and_logs_the_functions_messages(gateway: Gateway) -> None:
    counter = save_hours(gateway)

    first = gateway.jobs.run_due("CAT7")
    assert first is not None
    assert (first["status"], first["status_text"], first["occurrence"], first["errors"]) == (
        "F", "Finished", "2026-11-22T12:00:00+00:00", 0)
    assert [(m["type"], m["id"], m["number"]) for m in first["log"]] == [
        ("S", "LR", "940"), ("S", "LR", "942")]
    assert counter in first["log"][0]["message"]

    # Another process (its own runner on the same database) fires the same occurrence.
    other = JobRunner(gateway.db, gateway.destinations.connect, gateway.clock,
                      gateway.settings.jobs)
    assert other.run_due("CAT7", NOW + timedelta(seconds=20)) is None
    later = other.run_due("CAT7", NOW + timedelta(seconds=40))
    assert later is not None and later["occurrence"] == "2026-11-22T12:01:00+00:00"
    assert [m["number"] for m in later["log"]] == ["943"]   # nothing posted twice
    assert [run["jobcount"] for run in gateway.jobs.runs("CAT7")] == [
        later["jobcount"], first["jobcount"]]


def test_cron_occurrence_is_the_latest_scheduled_moment(gateway: Gateway) -> None:
    job = settings_with(job__NIGHTLY={"function": "CATS_TRANSFER_TO_CO",
                                      "cron": "30 2 * * *"}).jobs["NIGHTLY"]
    assert gateway.jobs.occurrence(job, datetime(2026, 11, 22, 2, 30, 1, tzinfo=UTC)) == \
        datetime(2026, 11, 22, 2, 30, tzinfo=UTC)
    assert gateway.jobs.occurrence(job, datetime(2026, 11, 22, 2, 29, tzinfo=UTC)) == \
        datetime(2026, 11, 21, 2, 30, tzinfo=UTC)


def test_a_failing_call_cancels_the_run() -> None:
    broken = {"function": "Z_DOES_NOT_EXIST", "interval": "60"}
    with Gateway.in_memory(clock=Clock(frozen_at=NOW), overrides={"job BROKEN": broken}) as gw:
        run = gw.jobs.run_now("BROKEN")
    assert (run["status"], run["status_text"], run["errors"]) == ("A", "Canceled", 1)
    assert "Z_DOES_NOT_EXIST" in run["log"][0]["message"]


def test_the_schedulers_fire_the_job() -> None:
    """`sapgw serve` and `sapgw worker` start the schedulers: the job runs on its own, each
    occurrence once, and only the first run finds the record to post."""
    def finished(gateway: Gateway) -> list[dict[str, Any]]:
        return [run for run in gateway.jobs.runs("CAT7") if run["status"] == "F"]

    with Gateway.in_memory(overrides={"job CAT7": {**CAT7, "interval": "0.5"}}) as gateway:
        save_hours(gateway)
        gateway.start()
        deadline = time.monotonic() + 15
        while len(finished(gateway)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        runs = finished(gateway)
    assert len(runs) >= 2
    assert len({run["occurrence"] for run in runs}) == len(runs)
    numbers = [[m["number"] for m in run["log"]] for run in reversed(runs)]
    assert numbers[0] == ["940", "942"] and numbers[1:] == [["943"]] * (len(runs) - 1)


def test_one_claim_per_occurrence_among_concurrent_processes(database: Database) -> None:
    """Eight runners fire the same occurrence at once: the unique key lets one run it."""
    database.create_all(GatewayTable.metadata)
    barrier = threading.Barrier(8)

    def fire(number: int) -> int | None:
        barrier.wait()
        return store.claim(database, "CAT7", "2026-11-22T12:00:00+00:00",
                           "CATS_TRANSFER_TO_CO", "ERP", NOW, f"process {number}")

    with ThreadPoolExecutor(8) as pool:
        claims = list(pool.map(fire, range(8)))
    assert len([claim for claim in claims if claim is not None]) == 1
    assert len(store.runs(database, "CAT7")) == 1
