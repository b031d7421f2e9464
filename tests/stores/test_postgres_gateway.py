"""Seed 004 on PostgreSQL: the whole gateway and its ERP stub, each in a fresh schema."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from sapgw.clock import Clock
from sapgw.gateway.runtime import Gateway
from tests.conftest import postgres_gateway
from tests.scenarios.conftest import fund_posting, fund_usage, trade_promotion

pytestmark = pytest.mark.postgres


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gateway]:
    """The repository's config.ini with both systems on PostgreSQL, in schemas of their own."""
    with postgres_gateway(Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC)),
                          monkeypatch) as gw:
        yield gw


def send(gateway: Gateway, payload: dict[str, Any]) -> str:
    return gateway.send(payload["type"], payload["data"], sender=payload["sender"])["bdoc_id"]


def read_table(gateway: Gateway, table: str, fields: list[str], where: str = ""
               ) -> list[dict[str, str]]:
    """RFC_READ_TABLE on the ERP destination, rows split into dicts by the field layout."""
    with gateway.destination("ERP") as erp:
        result = erp.call("RFC_READ_TABLE", QUERY_TABLE=table, DELIMITER="|",
                          FIELDS=[{"FIELDNAME": f} for f in fields],
                          OPTIONS=[{"TEXT": where}] if where else [])
    names = [f["FIELDNAME"] for f in result["FIELDS"]]
    return [dict(zip(names, (v.strip() for v in row["WA"].split("|")), strict=True))
            for row in result["DATA"]]


def test_the_databases_are_postgresql_schemas(gateway: Gateway):
    erp = gateway.destinations.local_system("ERP")
    assert not gateway.db.is_sqlite and not erp.db.is_sqlite
    assert gateway.db.schema != erp.db.schema
    assert gateway.db.schema == gateway.settings.db_schema
    assert erp.db.schema == gateway.settings.erp_db_schema


def test_happy_path_posts_the_accrual(gateway: Gateway):
    ids = [send(gateway, trade_promotion()), send(gateway, fund_usage()),
           send(gateway, fund_posting("FPO1", "250.00"))]
    gateway.run_until_idle()

    for bdoc_id in ids:
        detail = gateway.bdoc(bdoc_id)
        assert detail["state"] == "F04", detail["log"]
        assert [(r["site"], r["state"]) for r in detail["receivers"]] == [("ERP", "CONFIRMED")]
    assert gateway.queues("in") == [] and gateway.queues("out") == []

    bkpf = read_table(gateway, "BKPF", ["BUKRS", "BELNR", "GJAHR", "XBLNR"], "XBLNR = 'FPO1'")
    assert len(bkpf) == 1 and (bkpf[0]["BUKRS"], bkpf[0]["XBLNR"]) == ("1000", "FPO1")
    lines = read_table(gateway, "BSEG", ["BUZEI", "SHKZG", "HKONT", "WRBTR"],
                       f"BELNR = '{bkpf[0]['BELNR']}'")
    assert sorted((ln["SHKZG"], ln["HKONT"]) for ln in lines) == [
        ("H", "0000196000"), ("S", "0000477000")]
    assert all(Decimal(ln["WRBTR"]) == Decimal("250.00") for ln in lines)


def test_missing_trade_promotion_fails_then_reprocess_repairs(gateway: Gateway):
    fu = send(gateway, fund_usage(tpm_id="TPM9"))
    gateway.run_until_idle()
    failed = gateway.bdoc(fu)
    assert failed["state"] == "E06" and "TPM9" in failed["error"]
    queues = {q["name"]: q for q in gateway.queues("out")}
    assert queues["R3AUFMFU1791"]["status"] == "SYSFAIL"

    send(gateway, trade_promotion("TPM9"))
    gateway.run_until_idle()
    assert gateway.bdoc(fu)["state"] == "E06", "a SYSFAIL queue waits for a person"

    gateway.actions.reprocess(fu)
    gateway.run_until_idle()
    assert gateway.bdoc(fu)["state"] == "F04"
    assert gateway.queues("out") == []


def test_the_fixture_drops_rar_schema_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """RAR (destination RAR, local) lives in `<erp schema>_rar`; the fixture drops it."""
    from sqlalchemy import create_engine, inspect

    from tests.conftest import POSTGRES_URL

    with postgres_gateway(Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC)),
                          monkeypatch) as gw:
        rar = gw.destinations.local_system("RAR")
        schema = rar.db.schema
        assert schema == f"{gw.settings.erp_db_schema}_rar"
        with gw.destination("RAR") as conn:
            conn.call("FARR_CONTRACT_READ")
        engine = create_engine(POSTGRES_URL)
        try:
            assert schema in inspect(engine).get_schema_names()
        finally:
            engine.dispose()
    engine = create_engine(POSTGRES_URL)
    try:
        assert schema not in inspect(engine).get_schema_names()
    finally:
        engine.dispose()
