"""A bare ERP stub behind JSON RFC and SOAP on a real server, and sapgw.pyrfc pointed at it.

One server per module (starting one per test would dominate the run); every test gets its
own `Connection`. The `sapgw_pyrfc` fixture of the pytest plugin (a whole gateway) is used
by test_dropin.py.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette

from sapgw import pyrfc
from sapgw.erp_stub import create_system
from sapgw.pytest_plugin import live_server
from sapgw.rfc.jsonrfc_server import rfc_routes
from sapgw.rfc.soap_server import soap_routes

PARAMS = {"ashost": "erp.example", "sysnr": "00", "client": "100", "user": "demo",
          "passwd": "welcome", "lang": "EN"}


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path: Path = tmp_path_factory.mktemp("erp") / "erp.db"
    erp = create_system(f"sqlite:///{path}")
    routes = [*rfc_routes(erp.connect),
              *soap_routes(erp.connect, lambda name: erp.registry.get(name).interface,
                           erp.registry.names)]
    try:
        with live_server(Starlette(routes=routes)) as url:
            yield url
    finally:
        erp.db.dispose()


@pytest.fixture
def url(server_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SAPGW_RFC_URL", server_url)
    return server_url


@pytest.fixture
def conn(url: str) -> Iterator[pyrfc.Connection]:
    connection = pyrfc.Connection(**PARAMS)
    yield connection
    connection.close()
