"""Seed 004 on PostgreSQL: the whole gateway and its ERP stub, each in a fresh schema."""

from __future__ import annotations

import configparser
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.gateway.config import parse_settings
from sapgw.gateway.runtime import DEFAULT_CONFIG, Gateway
from tests.conftest import fresh_schema, require_postgres
from tests.scenarios.conftest import fund_posting, fund_usage, trade_promotion

pytestmark = pytest.mark.postgres


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gateway]:
    """The repository's config.ini with both systems on PostgreSQL, in schemas of their own."""
    monkeypatch.delenv("SAPGW_DB_URL", raising=False)
    monkeypatch.delenv("SAPGW_ERP_DB_URL", raising=False)
    url = require_postgres()
    schemas = {"gateway": fresh_schema(), "erp": fresh_schema()}
    parser = configparser.ConfigParser(inline_comment_prefixes=(";", "#"), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEFAULT_CONFIG, encoding="utf-8")
    for section, schema in schemas.items():
        parser[section]["db_url"] = url
        parser[section]["db_schema"] = schema
    settings = parse_settings(parser, DEFAULT_CONFIG.parent, None)
    clock = Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    try:
        with Gateway(settings, clock) as gw:
            yield gw
    finally:
        for schema in schemas.values():
            db = Database(url, schema)
            db.drop_schema()
            db.dispose()


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
