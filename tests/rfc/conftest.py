"""JSON RFC fixtures: a fresh ERP stub with a small test-only function group, and the app."""

import warnings
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from sapgw.clock import Clock
from sapgw.erp_stub import ErpSystem, create_system
from sapgw.erp_stub.iaom.tables import IAOM_ASSIGNMENTS
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import CHAR, CURR, DATS, INT4, structure
from sapgw.rfc.errors import ABAPApplicationError
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.jsonrfc_server import JsonRfcService, rfc_routes
from sapgw.rfc.structures import BAPIRET2

# Starlette 1.x warns when its TestClient runs on httpx instead of httpx2; the project pins
# httpx (the production client uses it), so the warning is expected here and nowhere else.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

# Test-only functions that write through the LUW (any ERP table will do: IAOM_ASSIGNMENTS),
# so commit and rollback can be seen without depending on the FI application.
ZTEST = FunctionGroup("ZJSONRFC_TEST")
SCENARIO = "ZJSONRFC"
ZITEM = structure("ZITEM", ("KEY", CHAR(34)), ("AMOUNT", CURR(15, 2)), ("DATE", DATS))


@ZTEST.function(interface("Z_JSONRFC_POST", [
    importing("KEY", CHAR(34), optional=False),
    importing("FAIL", CHAR(1)),
    exporting("TOTAL", CURR(15, 2)),
    exporting("RETURN", BAPIRET2),
    tables("ITEMS", ZITEM),
], exceptions=("NOT_FOUND",)))
def z_jsonrfc_post(ctx: CallContext, KEY: str, FAIL: str, ITEMS: list[dict[str, Any]]
                   ) -> dict[str, Any]:
    if FAIL == "X":
        return {"RETURN": bapiret2("E", "RW", "609", "test failure")}
    if FAIL == "R":
        raise ABAPApplicationError("Document ZZ not found", 5, "NOT_FOUND", "RW", "E", "610",
                                   "ZZ")
    ctx.insert(IAOM_ASSIGNMENTS, {"BUS_SCENARIO_ID": SCENARIO, "EXT_OBJECT_ID": KEY,
                                  "OBJECT_NO": "", "CONTROLLING_TYPE": "S", "PROFIT_CENTRE": "",
                                  "OBJECT_NO_SET": "", "OBJECT_NO_REC": "", "ERDAT": ""})
    total = sum((item["AMOUNT"] for item in ITEMS), Decimal("0.00"))
    return {"TOTAL": total, "ITEMS": ITEMS}


@ZTEST.function(interface("Z_JSONRFC_COUNT", [exporting("COUNT", INT4)]))
def z_jsonrfc_count(ctx: CallContext) -> dict[str, Any]:
    table = IAOM_ASSIGNMENTS.__table__  # type: ignore[attr-defined]
    with ctx.read() as conn:
        count = conn.execute(select(func.count()).select_from(table)
                             .where(table.c.BUS_SCENARIO_ID == SCENARIO)).scalar_one()
    return {"COUNT": count}


@ZTEST.function(interface("Z_JSONRFC_CRASH", []))
def z_jsonrfc_crash(ctx: CallContext) -> dict[str, Any]:
    raise RuntimeError("disk on fire")


def with_test_functions(system: ErpSystem) -> ErpSystem:
    system.registry.add_group(ZTEST)
    return system


@pytest.fixture
def clock() -> Clock:
    return Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))


@pytest.fixture
def erp(clock: Clock) -> Iterator[ErpSystem]:
    system = with_test_functions(create_system("sqlite://", clock=clock))
    yield system
    system.db.dispose()


@pytest.fixture(params=["routes", "service"])
def app(request: pytest.FixtureRequest, erp: ErpSystem) -> Any:
    """The routes in a Starlette app, and the raw ASGI service `sapgw serve` runs: each
    test of them passes both ways."""
    if request.param == "routes":
        return Starlette(routes=rfc_routes(erp.connect, session_timeout=600, max_sessions=3))
    return JsonRfcService(erp.connect, session_timeout=600, max_sessions=3)


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client
