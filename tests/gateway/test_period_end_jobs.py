"""KKAI and KO8G as background jobs ([job KKAI], [job KO8G] of config.ini): the collective
runs without year and period take the clock's period; each run's log is kept (SM37)."""

from __future__ import annotations

import configparser
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sapgw.clock import Clock
from sapgw.gateway.runtime import Gateway
from tests.erp_stub.ra_support import confirm_hours, labour_price

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)


def job(name: str) -> dict[str, str]:
    """The job as config.ini defines it, enabled."""
    config = configparser.ConfigParser(inline_comment_prefixes=(";",))
    config.read(ROOT / "config.ini", encoding="utf-8")
    return {**dict(config[f"job {name}"]), "enabled": "yes"}


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    with Gateway.in_memory(clock=Clock(frozen_at=NOW), overrides={
            "job KKAI": job("KKAI"), "job KO8G": job("KO8G")}) as gw:
        yield gw


def test_period_end_jobs_analyse_and_settle_todays_period(gateway: Gateway) -> None:
    assert job("KKAI")["function"] == "ZKKA_RA_COLLECTIVE"
    conn = gateway.local_erp().connect()
    labour_price(conn)
    aufnr = conn.call("BAPI_INTERNALORDER_CREATE", I_MASTER_DATA={
        "ORDER_TYPE": "SAPS", "ORDER_NAME": "Job", "CO_AREA": "1000",
        "RES_ANAL_KEY": "CRMWIP"})["ORDERID"]
    conn.call("BAPI_TRANSACTION_COMMIT")
    conn.call("ZKO_RULE_MAINTAIN", ORDERID=aufnr, PROFILE="CRMSRV", COSTCENTER="1000")
    conn.call("BAPI_TRANSACTION_COMMIT")
    confirm_hours(conn, aufnr, "1")

    analysed = gateway.jobs.run_now("KKAI")
    assert (analysed["status"], analysed["errors"]) == ("F", 0)
    numbers = [(m["id"], m["number"]) for m in analysed["log"]]
    assert ("ZRA", "005") in numbers and numbers[-1] == ("ZRA", "010")
    assert "period 011/2026" in analysed["log"][0]["message"]
    settled = gateway.jobs.run_now("KO8G")
    assert (settled["status"], settled["errors"]) == ("F", 0)
    assert ("KD", "005") in [(m["id"], m["number"]) for m in settled["log"]]
