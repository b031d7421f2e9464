"""Processes starting together on one PostgreSQL seed the IDoc defaults once, without errors."""

import threading

import pytest

from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.gateway.idoc.service import IdocService
from sapgw.gateway.store.tables import GatewayTable
from tests.conftest import fresh_schema, require_postgres

pytestmark = pytest.mark.postgres


def test_concurrent_starts_seed_partner_profiles_and_ports_once():
    db = Database(require_postgres(), fresh_schema())
    db.create_all(GatewayTable.metadata)
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def start_service() -> None:
        start.wait()
        try:
            IdocService(db, Clock(), connect=lambda name: None)  # type: ignore[arg-type,return-value]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start_service) for _ in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert errors == []
        service = IdocService(db, Clock(), connect=lambda name: None)  # type: ignore[arg-type,return-value]
        assert len(service.store.outbound_profiles()) == 1
        assert [p.MESTYP for p in service.store.partners()].count("ACC_DOCUMENT") == 1
    finally:
        db.drop_schema()
        db.dispose()
