"""Destination RAR: the Revenue Accounting system as a second system with its own database,
reached in-process by the ERP's outbound qRFC (as FI-CA's FP_RAI_TRANSF sends), and served
on its own by `sapgw erp serve --system sapgw.erp_stub.rar_system` over JSON RFC."""

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from sapgw.clock import Clock
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.gateway import cli
from sapgw.gateway.runtime import Gateway
from sapgw.qrfc.queries import queue_list
from sapgw.rfc.errors import ABAPApplicationError, CommunicationError
from sapgw.rfc.jsonrfc_client import HttpRfcConnection
from tests.erp_stub.rar_support import order_item

QUEUE = "FKKRA_CA01_C1"


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    gw = Gateway.in_memory(Clock(frozen_at=datetime(2027, 1, 20, tzinfo=UTC)),
                           overrides={"destination RAR": {"retry_interval": "0"}})
    yield gw
    gw.close()


def send_from_erp(gateway: Gateway, *items: tuple[dict[str, Any], list[dict[str, Any]]]
                  ) -> Any:
    """What FP_RAI_TRANSF does: CALL FUNCTION ... IN BACKGROUND TASK DESTINATION 'RAR'."""
    erp = gateway.destinations.local_system("ERP")
    ctx = CallContext(erp, Luw())
    ctx.call_in_background_task("/1RA/CA01_RAI_CREATE_API", destination="RAR", queue=QUEUE,
                                IT_MAIN_ITEMS=[i[0] for i in items],
                                IT_CONDITIONS=[c for i in items for c in i[1]])
    ctx.commit()
    return erp


def count(connection: Any, table: str) -> int:
    return len(connection.call("RFC_READ_TABLE", QUERY_TABLE=table,
                               FIELDS=[{"FIELDNAME": "SRCDOC_ID" if "RAI" in table
                                        else "POB_ID"}])["DATA"])


def test_the_erp_reaches_rar_in_process_with_its_own_database(gateway: Gateway) -> None:
    erp = send_from_erp(gateway, order_item("C1/000001", "90.00", "100.00"))
    gateway.run_until_idle()
    rar = gateway.destination("RAR")
    assert count(rar, "FARR_D_RAI_MI") == 1
    with pytest.raises(ABAPApplicationError, match="TABLE_NOT_AVAILABLE"):  # not the ERP's
        count(gateway.destination("ERP"), "FARR_D_RAI_MI")
    with pytest.raises(ABAPApplicationError, match="TABLE_NOT_AVAILABLE"):  # nor RAR's
        rar.call("RFC_READ_TABLE", QUERY_TABLE="DFKKRA_RAI_MI")
    system = gateway.destinations.local_system("RAR")
    assert Path(str(system.db.engine.url.database)).name == "rar.db"
    assert Path(str(system.db.engine.url.database)).parent == Path(
        str(erp.db.engine.url.database)).parent
    assert queue_list(erp.db, erp.outbound.store.schema) == []


def test_each_system_creates_only_its_own_tables(gateway: Gateway) -> None:
    """The kernel's tables in both databases; FARR_* only in RAR's, FI-CA's only in the ERP's."""
    from sqlalchemy import inspect

    erp = gateway.destinations.local_system("ERP")
    rar = gateway.destinations.local_system("RAR")
    with erp.db.engine.connect() as conn:
        erp_tables = set(inspect(conn).get_table_names())
    with rar.db.engine.connect() as conn:
        rar_tables = set(inspect(conn).get_table_names())
    assert {"T100", "NRIV", "TRFCQOUT"} <= erp_tables & rar_tables
    assert {"DFKKRA_RAI_MI", "DFKK_VT_I", "BKPF"} <= erp_tables - rar_tables
    assert {"FARR_D_POB", "FARR_D_RAI_MI", "FARR_C_POBTYPE"} <= rar_tables - erp_tables
    assert not {t for t in rar_tables if t.startswith(("DFKK", "BKPF", "CATS", "VBAK"))}


def test_a_rar_that_is_down_is_cpicerr_and_retried_once_by_tid(gateway: Gateway) -> None:
    erp = gateway.destinations.local_system("ERP")
    working = erp.outbound._destinations["RAR"]

    def down() -> Any:
        raise CommunicationError("RAR is down", 1, "RFC_COMMUNICATION_FAILURE")

    erp.outbound.set_destination("RAR", down, working[1])
    send_from_erp(gateway, order_item("C1/000001", "90.00", "100.00"))
    gateway.run_until_idle()
    [queue] = queue_list(erp.db, erp.outbound.store.schema)
    assert queue["status"] == "CPICERR"
    erp.outbound.set_destination("RAR", *working)
    gateway.destination("ERP").call("TRFC_QOUT_ACTIVATE", QNAME=QUEUE, DEST="RAR")  # SMQ1
    gateway.run_until_idle()
    gateway.run_until_idle()  # nothing runs twice
    assert queue_list(erp.db, erp.outbound.store.schema) == []
    assert count(gateway.destination("RAR"), "FARR_D_RAI_MI") == 1


def test_a_served_rar_takes_items_over_json_rfc(gateway: Gateway) -> None:
    with TestClient(cli.erp_app(gateway.settings, "sapgw.erp_stub.rar_system")) as http:
        rar = HttpRfcConnection("http://testserver", client=http)
        answer = rar.call("/1RA/CA01_RAI_CREATE_API",
                          IT_MAIN_ITEMS=[order_item("C1/000001", "90.00", "100.00")[0]],
                          IT_CONDITIONS=order_item("C1/000001", "90.00", "100.00")[1])
        assert [m["NUMBER"] for m in answer["ET_RETURN"]] == ["007"]
        rar.call("FARR_RAI_PROCESS")
        [pob] = rar.call("FARR_CONTRACT_READ")["ET_POBS"]
        assert pob["ALLOC_AMT"] == pob["TRX_PRICE"]
        bad = rar.call("/1RA/CA02_RAI_CREATE_API",
                       IT_MAIN_ITEMS=[order_item("C1/000002", "1")[0]])["ET_RETURN"]
        assert [(m["TYPE"], m["NUMBER"]) for m in bad] == [("E", "003")]
    # the same database as the in-process destination (rar.db beside the ERP's)
    assert count(gateway.destination("RAR"), "FARR_D_POB") == 1


def test_the_rar_database_beside_the_erps_or_in_a_schema_of_its_own() -> None:
    from dataclasses import replace

    from sapgw.gateway.config import DestinationSettings, load_settings
    from sapgw.gateway.rfc.destinations import local_database

    settings = load_settings(Path(__file__).parents[2] / "config.ini")
    rar, erp = settings.destinations["RAR"], settings.destinations["ERP"]
    sqlite = replace(settings, erp_db_url="sqlite:////data/x/erp.db")
    assert local_database(sqlite, rar) == ("sqlite:////data/x/rar.db", "")
    assert local_database(sqlite, erp) == ("sqlite:////data/x/erp.db", "erp")
    postgres = replace(settings, erp_db_url="postgresql+psycopg://h/db", erp_db_schema="erp1")
    assert local_database(postgres, rar) == ("postgresql+psycopg://h/db", "erp1_rar")
    own = DestinationSettings("RAR", "local", rar.system,
                              params={"db_url": "sqlite:////y/r.db", "db_schema": ""})
    assert local_database(postgres, own)[0] == "sqlite:////y/r.db"


def test_rar_on_postgresql_in_its_own_schema() -> None:
    from sapgw.erp_stub.rar_system import create_system
    from tests.conftest import fresh_schema, require_postgres
    from tests.erp_stub.rar_support import process, send

    system = create_system(require_postgres(), schema=fresh_schema())
    try:
        conn = system.connect()
        send(conn, "CA01", [order_item("C1/000001", "90.00", "100.00"),
                            order_item("C1/000002", "30.00", "50.00")])
        process(conn)
        pobs = conn.call("FARR_CONTRACT_READ")["ET_POBS"]
        assert [p["ALLOC_AMT"] for p in pobs] == [Decimal("80.00"), Decimal("40.00")]
    finally:
        system.db.drop_schema()
        system.db.dispose()
