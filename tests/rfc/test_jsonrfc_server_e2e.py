"""End to end: a real uvicorn server on 127.0.0.1 serving the ERP stub, driven over HTTP."""

from collections.abc import Iterator
from decimal import Decimal

import pytest
from starlette.applications import Starlette

from sapgw.erp_stub import create_system
from sapgw.pytest_plugin import free_port, live_server
from sapgw.rfc.errors import (
    ABAPApplicationError,
    CommunicationError,
    ExternalRuntimeError,
)
from sapgw.rfc.jsonrfc_client import HttpRfcConnection
from sapgw.rfc.jsonrfc_server import rfc_routes
from sapgw.types import RfcCall, new_tid
from tests.rfc.conftest import with_test_functions


@pytest.fixture(params=[False, True], ids=["threads", "inline"])
def server_url(request, tmp_path, clock) -> Iterator[str]:
    """Served as `sapgw serve` does (calls in threads) and as `sapgw erp serve` (inline)."""
    erp = with_test_functions(create_system(f"sqlite:///{tmp_path}/erp.db", clock=clock))
    try:
        app = Starlette(routes=rfc_routes(erp.connect, inline=request.param))
        with live_server(app) as url:
            yield url
    finally:
        erp.db.dispose()


@pytest.mark.server
def test_json_rfc_over_a_real_server(server_url):
    with HttpRfcConnection(server_url, timeout=5) as conn:
        # a call, with Decimals restored from the function's interface
        assert conn.call("STFC_CONNECTION", REQUTEXT="ping")["ECHOTEXT"] == "ping"
        posted = conn.call("Z_JSONRFC_POST", KEY="A", ITEMS=[{"AMOUNT": Decimal("12.30")}])
        assert posted["TOTAL"] == Decimal("12.30")
        # the session: pending until commit, visible to others after it
        with HttpRfcConnection(server_url) as other:
            assert other.call("Z_JSONRFC_COUNT")["COUNT"] == 0
            conn.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
            assert other.call("Z_JSONRFC_COUNT")["COUNT"] == 1
        # a qRFC unit, delivered twice, executes once
        tid = new_tid()
        for _ in range(2):
            unit = {"id": tid, "background": False, "queued": False}
            conn.fill_and_submit_unit(unit, [("Z_JSONRFC_POST", {"KEY": "B"})], ["R3AUE2E"])
            conn.confirm_unit(unit)
        assert conn.call("Z_JSONRFC_COUNT")["COUNT"] == 2
        # error mapping
        with pytest.raises(ABAPApplicationError) as unknown:
            conn.call("/SAPGW/NOPE")
        assert (unknown.value.key, unknown.value.msg_v1) == ("FU_NOT_FOUND", "/SAPGW/NOPE")
        with pytest.raises(ExternalRuntimeError) as bad:
            conn.call("STFC_CONNECTION", REQUTEXT=7)
        assert bad.value.key == "RFC_CONVERSION_FAILURE"
    # a server that is down: a port nobody listens on
    url = f"http://127.0.0.1:{free_port()}"
    with HttpRfcConnection(url, timeout=2) as down, pytest.raises(CommunicationError) as error:
        down.ping()
    assert (error.value.code, error.value.key) == (1, "RFC_COMMUNICATION_FAILURE")
    assert url in error.value.message
    assert error.value.retryable


@pytest.mark.server
def test_several_units_in_one_request_run_in_order_once_and_stop_at_a_failure(server_url):
    def unit(key: str, fail: str = "") -> tuple[str, list[RfcCall], str]:
        return new_tid(), [RfcCall("Z_JSONRFC_POST", {"KEY": key, "FAIL": fail})], "R3AUBATCH"

    first, second, failing, after = unit("A"), unit("B"), unit("C", fail="X"), unit("D")
    with HttpRfcConnection(server_url, timeout=5) as conn:
        assert conn.submit_units([first]) == (1, None)
        done, failure = conn.submit_units([first, second, failing, after])
        assert done == 2  # the first again (acknowledged, not run twice) and the second
        assert isinstance(failure, ABAPApplicationError)
        assert failure.messages[0]["MESSAGE"].endswith("test failure")
        assert conn.call("Z_JSONRFC_COUNT")["COUNT"] == 2
        assert conn.submit_units([after]) == (1, None)
        assert conn.call("Z_JSONRFC_COUNT")["COUNT"] == 3


@pytest.mark.server
def test_a_bad_batch_is_refused_whole(server_url):
    import httpx

    response = httpx.post(f"{server_url}/sap/bc/rfc_units",
                          json={"UNITS": [{"TID": "short", "QUEUE": None, "CALLS": []}]})
    assert response.status_code == 400
    assert response.json()["key"] == "RFC_INVALID_PARAMETER"
    empty = httpx.post(f"{server_url}/sap/bc/rfc_units", json={"UNITS": []})
    assert empty.status_code == 400 and "UNITS" in empty.json()["message"]
