"""Billing and invoicing mass runs as background jobs ([job FKKBIX_M], [job FKKINV_M] of
config.ini, disabled there, enabled here): they run against the one clock the gateway and
the ERP share (DATE_TO and BUDAT blank: the clock's day), each occurrence once, and every
invoicing mass run posts under one reconciliation key of its own."""

from __future__ import annotations

import configparser
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sapgw.clock import Clock
from sapgw.gateway.runtime import Gateway
from tests.erp_stub.fica_support import bit, bits, contract_with_items, read

ROOT = Path(__file__).resolve().parents[2]
NIGHT = datetime(2026, 12, 16, 0, 30, tzinfo=UTC)   # before the 01:00 billing run


def job(name: str, **changes: str) -> dict[str, str]:
    """The section as config.ini ships it, enabled (and changed) for the test."""
    config = configparser.ConfigParser(inline_comment_prefixes=(";",))
    config.read(ROOT / "config.ini", encoding="utf-8")
    return {**dict(config[f"job {name}"]), "enabled": "yes", **changes}


def feed(gateway: Gateway) -> str:
    """Usage items of PC-1 dated 15 and 16 December and one dated 17 December: the account."""
    conn = gateway.local_erp().connect()
    vkont = contract_with_items(conn)[1]
    bits(conn, bit("U-15", vkont, "1.20"), bit("U-16", vkont, "0.80", BITDATE="20261216"),
         bit("U-17", vkont, "5.00", BITDATE="20261217"))
    return vkont


def statuses(gateway: Gateway) -> dict[str, str]:
    conn = gateway.local_erp().connect()
    found = {row[0]: "2" for row in read(conn, "/1FE/00SAP2IT", ["SRCTAID"])}
    found.update({row[0]: "4" for row in read(conn, "/1FE/00SAP4IT", ["SRCTAID"])})
    return found


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    clock = Clock(frozen_at=NIGHT)
    with Gateway.in_memory(clock=clock, overrides={"job FKKBIX_M": job("FKKBIX_M"),
                                                   "job FKKINV_M": job("FKKINV_M")}) as gw:
        yield gw


def test_the_nightly_runs_bill_then_invoice_by_the_clock(gateway: Gateway) -> None:
    assert (job("FKKBIX_M")["function"], job("FKKINV_M")["function"]) == (
        "FKK_BIX_BILL_MASS", "FKK_INV_INVOICE_MASS")
    feed(gateway)
    gateway.clock.set(NIGHT.replace(hour=1, minute=5))
    billing = gateway.jobs.run_due("FKKBIX_M")
    assert billing is not None and billing["occurrence"] == "2026-12-16T01:00:00+00:00"
    assert (billing["status"], [m["number"] for m in billing["log"]]) == ("F", ["040"])
    assert gateway.jobs.run_due("FKKBIX_M") is None          # this occurrence has run
    assert statuses(gateway) == {"U-15": "4", "U-16": "4", "U-17": "2"}
    conn = gateway.local_erp().connect()
    assert read(conn, "DFKKINVBILL_H", ["CRDATE", "DATE_TO", "BILL_AMOUNT"]) == [
        ["20261216", "20261216", "2.00"]]

    gateway.clock.set(NIGHT.replace(hour=2, minute=5))
    invoicing = gateway.jobs.run_due("FKKINV_M")
    assert invoicing is not None and invoicing["status"] == "F"
    assert [m["number"] for m in invoicing["log"]] == ["045", "048"]
    keys = read(conn, "FKKFIKEY", ["FIKEY", "XCLOS", "RUNNO"])
    assert len(keys) == 1 and keys[0][0].startswith("CI261216") and keys[0][1] == "X"
    assert read(conn, "DFKKINVDOC_H", ["BUDAT", "FIKEY", "INVRUNNO"]) == [
        ["20261216", keys[0][0], keys[0][2]]]

    gateway.clock.set(datetime(2026, 12, 17, 1, 5, tzinfo=UTC))   # the next night
    assert [m["number"] for m in gateway.jobs.run_due("FKKBIX_M")["log"]] == ["040"]
    gateway.clock.set(datetime(2026, 12, 17, 2, 5, tzinfo=UTC))
    gateway.jobs.run_due("FKKINV_M")
    assert statuses(gateway) == {"U-15": "4", "U-16": "4", "U-17": "4"}
    second = read(conn, "FKKFIKEY", ["FIKEY", "XCLOS"])
    assert len(second) == 2 and second[1][0].startswith("CI261217")
    assert [row[0] for row in read(conn, "DFKKINVDOC_H", ["FIKEY"])] == [
        keys[0][0], second[1][0]]


def test_the_scheduler_fires_both_runs_against_the_gateways_clock() -> None:
    """APScheduler fires the jobs in real time; each occurrence is the one of the gateway's
    (frozen) clock, so each job runs once per clock day, and the runs date their documents
    by that clock, not by the machine's."""
    def finished(gateway: Gateway, name: str) -> list[dict[str, Any]]:
        return [run for run in gateway.jobs.runs(name) if run["status"] == "F"]

    fast = {"cron": "", "interval": "0.5"}
    with Gateway.in_memory(clock=Clock(frozen_at=NIGHT), overrides={
            "job FKKBIX_M": job("FKKBIX_M", **fast),
            "job FKKINV_M": job("FKKINV_M", **fast)}) as gateway:
        feed(gateway)
        gateway.start()
        for day in (NIGHT, NIGHT + timedelta(days=1), NIGHT + timedelta(days=2)):
            gateway.clock.set(day)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and not all(
                    any(run["occurrence"].startswith(day.date().isoformat())
                        for run in finished(gateway, name)) for name in ("FKKBIX_M", "FKKINV_M")):
                time.sleep(0.05)
        time.sleep(0.6)   # a further firing of the last day's occurrence finds it taken
        runs = {name: finished(gateway, name) for name in ("FKKBIX_M", "FKKINV_M")}
        conn = gateway.local_erp().connect()
        billed = read(conn, "DFKKINVBILL_H", ["CRDATE", "DATE_TO", "INVSTATUS"])
        invoiced = read(conn, "DFKKINVDOC_H", ["BUDAT", "FIKEY"])
        keys = read(conn, "FKKFIKEY", ["FIKEY", "XCLOS"])
        left = statuses(gateway)
    for name in runs:   # one run per clock day, whatever the real time did
        assert sorted(run["occurrence"][:10] for run in runs[name]) == [
            "2026-12-16", "2026-12-17", "2026-12-18"], name
    assert left == {"U-15": "4", "U-16": "4", "U-17": "4"}
    assert billed == [["20261216", "20261216", "X"], ["20261217", "20261217", "X"]]
    # invoicing may fire before billing within a night: then it invoices the next night
    assert 1 <= len(invoiced) <= 2
    assert all(key.startswith("CI" + budat[2:]) for budat, key in invoiced)
    assert len({key for _, key in invoiced}) == len(invoiced) == len(keys)
    assert all(closed == "X" for _, closed in keys)
