"""End to end: `sapgw serve` as a real process answers /healthz."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from sapgw.pytest_plugin import free_port

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.server
def test_serve_answers_healthz(tmp_path):
    port = free_port()
    env = {**os.environ, "SAPGW_DB_URL": f"sqlite:///{tmp_path}/gw.db",
           "SAPGW_ERP_DB_URL": f"sqlite:///{tmp_path}/erp.db"}
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(
        [sys.executable, "-m", "sapgw.gateway.cli", "--config", str(ROOT / "config.ini"),
         "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/healthz")
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.1)
        # answered while the app is still built (503, api.starting), or once it is (200)
        assert (response.status_code, response.json()["status"]) in (
            (503, "starting"), (200, "ok"))
        # JSON RFC on its short path: the first call waits for the served system, not for
        # the REST and page routers (api.starting, api.rfc_app)
        ping = httpx.post(f"http://127.0.0.1:{port}/sap/bc/rfc/RFC_PING", content=b"{}",
                          timeout=30)
        missing = httpx.post(f"http://127.0.0.1:{port}/sap/bc/rfc/Z_NOT_THERE", content=b"{}")
        assert (ping.status_code, ping.json()) == (200, {})
        assert missing.json()["key"] == "FU_NOT_FOUND"
        while httpx.get(f"http://127.0.0.1:{port}/healthz").json()["status"] != "ok":
            assert time.monotonic() < deadline, "the app was not built in time"
            time.sleep(0.05)
        ping = httpx.post(f"http://127.0.0.1:{port}/sap/bc/rfc/RFC_PING", content=b"{}")
        assert (ping.status_code, ping.json()) == (200, {})  # the whole app serves it now
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()
    access = (tmp_path / "serve.log").read_text()
    assert '"GET /healthz HTTP/1.1" 200' in access
    assert "/sap/bc/rfc/Z_NOT_THERE" in access  # errors stay in the access log
    assert "/sap/bc/rfc/RFC_PING" not in access  # answered RFC calls do not (as SAP's ICM)
