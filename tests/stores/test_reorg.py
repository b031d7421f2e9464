"""SMO6_REORG: final BDocs past the retention go with body, log and receivers; errors stay."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.gateway.reorg import reorganize_bdocs
from sapgw.gateway.runtime import Gateway
from sapgw.gateway.store.tables import (
    BDocBody,
    BDocHeader,
    BDocLog,
    BDocReceiver,
    GatewayTable,
    QrfcLuw,
)
from tests.stores.processes import fund_posting, fund_usage, trade_promotion, write_config

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
TABLES = {t.__tablename__: t.__table__ for t in  # type: ignore[attr-defined]
          (BDocHeader, BDocBody, BDocLog, BDocReceiver)}


def store(db: Database, bdoc_id: str, state: str, age_days: float, queued: bool = False) -> None:
    created = NOW - timedelta(days=age_days)
    with db.write() as conn:
        conn.execute(insert(TABLES["smw3_bdoc"]).values(
            bdoc_id=bdoc_id, bdoc_type="CRM_FM_FPO", state=state, flow_context="MO1",
            sender="CRM", created_at=created, updated_at=created))
        conn.execute(insert(TABLES["smw3_bdoc_body"]).values(bdoc_id=bdoc_id, data="{}"))
        conn.execute(insert(TABLES["smw3_bdoc_log"]), [
            {"bdoc_id": bdoc_id, "at": created, "service": "X", "message": "m"}] * 2)
        conn.execute(insert(TABLES["smw3_bdoc_receiver"]).values(
            bdoc_id=bdoc_id, site="ERP", state="CONFIRMED", queue="Q", tid=bdoc_id[:24],
            updated_at=created))
        if queued:
            conn.execute(insert(QrfcLuw.__table__).values(  # type: ignore[attr-defined]
                queue="Q", direction="out", kind="RFC", tid=f"T{bdoc_id}", bdoc_id=bdoc_id,
                created_at=created))


def counts(db: Database) -> dict[str, int]:
    with db.read() as conn:
        return {name: int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
                for name, table in TABLES.items()}


def remaining(db: Database) -> set[str]:
    with db.read() as conn:
        return set(conn.execute(select(TABLES["smw3_bdoc"].c.bdoc_id)).scalars())


def test_final_bdocs_past_the_retention_are_deleted_by_state(database: Database):
    database.create_all(GatewayTable.metadata)
    for bdoc_id, state, age in [("OLD_F04_A", "F04", 8), ("OLD_F04_B", "F04", 30),
                                ("OLD_F01", "F01", 9), ("OLD_F03", "F03", 10),
                                ("OLD_F05", "F05", 7.5), ("NEW_F04", "F04", 6.9),
                                ("OLD_E02", "E02", 40), ("OLD_E06", "E06", 40),
                                ("OLD_O01", "O01", 40), ("OLD_I01", "I01", 40)]:
        store(database, bdoc_id, state, age)
    store(database, "OLD_F03_QUEUED", "F03", 20, queued=True)

    dry = reorganize_bdocs(database, NOW, 7, dry_run=True)
    assert dry.deleted == {"F01": 1, "F03": 1, "F04": 2, "F05": 1} and dry.total == 5
    assert counts(database)["smw3_bdoc"] == 11  # a dry run deletes nothing

    result = reorganize_bdocs(database, NOW, 7)
    assert result.deleted == dry.deleted
    assert result.as_dict()["before"] == "2026-11-15T12:00:00+00:00"
    assert remaining(database) == {"NEW_F04", "OLD_E02", "OLD_E06", "OLD_O01", "OLD_I01",
                                   "OLD_F03_QUEUED"}
    assert counts(database) == {"smw3_bdoc": 6, "smw3_bdoc_body": 6, "smw3_bdoc_log": 12,
                                "smw3_bdoc_receiver": 6}
    assert reorganize_bdocs(database, NOW, 7).total == 0


def test_reorg_deletes_in_chunks(database: Database, monkeypatch: pytest.MonkeyPatch):
    from sapgw.gateway import reorg

    monkeypatch.setattr(reorg, "CHUNK", 3)
    database.create_all(GatewayTable.metadata)
    for i in range(7):
        store(database, f"B{i}", "F04", 10)
    assert reorganize_bdocs(database, NOW, 7).deleted == {"F04": 7}
    assert counts(database)["smw3_bdoc_log"] == 0


def test_gateway_reorganizes_with_its_retention_and_cli(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]):
    from sapgw.gateway.cli import main

    config = tmp_path / "config.ini"
    settings = write_config(config, f"sqlite:///{tmp_path / 'gw.db'}",
                            f"sqlite:///{tmp_path / 'erp.db'}", bdoc_retention_days="0")
    with Gateway(settings, Clock(frozen_at=NOW)) as gw:
        gw.send("CRM_MKTPL", trade_promotion())
        gw.send("CRM_FM_FU", fund_usage("1791"))
        gw.send("CRM_FM_FPO", fund_posting("FPO1", "1791"))
        invalid = fund_posting("FPO2", "1791")
        invalid["HEADER"]["POSTING_TYPE"] = "BOGUS"  # E04: not one of the allowed values
        gw.send("CRM_FM_FPO", invalid)
        gw.run_until_idle()
        before = {b["state"] for b in gw.bdocs_list()["items"]}
    assert "F04" in before and any(s.startswith("E") for s in before)

    assert main(["--config", str(config), "reorg", "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["deleted"] == {"F04": 3}
    assert main(["--config", str(config), "reorg"]) == 0
    assert "deleted 3 final BDocs" in capsys.readouterr().out
    with Gateway(settings, Clock(frozen_at=NOW)) as gw:
        assert {b["state"] for b in gw.bdocs_list()["items"]} == before - {"F04"}
        assert gw.reorganize_bdocs().total == 0
