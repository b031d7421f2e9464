"""A gateway with its local ERP on SQLite files or in fresh PostgreSQL schemas, and the funds
flow of seed 004 to fill both databases."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from sapgw.clock import Clock
from sapgw.gateway.runtime import Gateway
from tests.conftest import postgres_gateway
from tests.scenarios.conftest import fund_posting, fund_usage, trade_promotion


@pytest.fixture
def sapgw_clock() -> Clock:
    return Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def gateway(request: pytest.FixtureRequest, sapgw_clock: Clock,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[Gateway]:
    if request.param == "sqlite":
        yield request.getfixturevalue("sapgw")
        return
    with postgres_gateway(sapgw_clock, monkeypatch) as gw:
        try:
            yield gw
        finally:
            for snapshot in gw.snapshots():
                gw.isolation.delete(snapshot["name"])


def run_funds(gw: Gateway, fpo_id: str = "FPO1") -> str:
    """Promotion, fund usage and one fund posting to F04; the FI document's number."""
    for payload in (trade_promotion(), fund_usage(), fund_posting(fpo_id)):
        sent = gw.send(payload["type"], payload["data"])
        gw.run_until_idle()
        assert gw.bdoc(sent["bdoc_id"])["state"] == "F04", gw.bdoc(sent["bdoc_id"])
    rows = read(gw, "BKPF", ["BELNR"], f"XBLNR = '{fpo_id}'")
    assert len(rows) == 1
    return rows[0]["BELNR"]


def read(gw: Gateway, table: str, fields: list[str], where: str = "") -> list[dict[str, Any]]:
    """RFC_READ_TABLE through the ERP destination, rows as dicts."""
    conn = gw.destination("ERP")
    try:
        result = conn.call("RFC_READ_TABLE", QUERY_TABLE=table, DELIMITER="|",
                           FIELDS=[{"FIELDNAME": f} for f in fields],
                           OPTIONS=[{"TEXT": where}] if where else [])
    finally:
        conn.close()
    names = [f["FIELDNAME"] for f in result["FIELDS"]]
    return [dict(zip(names, (v.strip() for v in row["WA"].split("|")), strict=False))
            for row in result["DATA"]]
