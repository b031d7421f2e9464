"""The pytest plugin: a throw-away gateway with its ERP stub for integration tests.

    def test_accrual(sapgw):
        sent = sapgw.send("CRM_FM_FPO", {...})
        sapgw.run_until_idle()
        assert sapgw.bdoc(sent["bdoc_id"])["state"] == "F04"
        erp = sapgw.destination("ERP")          # an RfcConnection, shaped like pyrfc's
        erp.call("RFC_READ_TABLE", QUERY_TABLE="BKPF", ...)

`sapgw_server` runs the same gateway behind a real uvicorn server on 127.0.0.1 and yields its
base URL, for tests that go over HTTP. `--sapgw-config FILE` starts from your config.ini.

`--sapgw-pyrfc` makes `import pyrfc` give `sapgw.pyrfc` for the whole run (code written for
pyrfc runs unchanged), and the `sapgw_pyrfc` fixture points every `pyrfc.Connection` at
`sapgw_server` (SAPGW_RFC_URL) and yields the module.

Files named `scenario_*.yaml`, `scenario_*.yml` or `scenario_*.json` are collected as tests:
each runs on a fresh gateway (as `sapgw`, from `--sapgw-config`) and fails with the scenario's
report, every expectation with expected vs. found (docs/SCENARIOS.md).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from sapgw.clock import Clock
from sapgw.gateway.runtime import Gateway


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--sapgw-config", default=None,
                     help="config.ini the sapgw fixture starts from (databases are temporary)")
    parser.addoption("--sapgw-pyrfc", action="store_true", default=False,
                     help="`import pyrfc` gives sapgw.pyrfc, PyRFC's client API over sapgw's "
                          "JSON RFC (connections go to SAPGW_RFC_URL or sapgw_pyrfc's server)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--sapgw-pyrfc", default=False):
        import sapgw.pyrfc

        sapgw.pyrfc.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    if config.getoption("--sapgw-pyrfc", default=False):
        import sapgw.pyrfc

        sapgw.pyrfc.uninstall()


@pytest.fixture
def sapgw_clock() -> Clock:
    """The clock the gateway and ERP share; override the fixture to freeze or shift time."""
    return Clock()


@pytest.fixture
def sapgw(request: pytest.FixtureRequest, sapgw_clock: Clock) -> Iterator[Gateway]:
    """A gateway and ERP stub on temporary SQLite databases; queues run on `run_until_idle()`."""
    config = request.config.getoption("--sapgw-config")
    gateway = Gateway.in_memory(clock=sapgw_clock, config=Path(config) if config else None)
    try:
        yield gateway
    finally:
        gateway.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def live_server(app: Any, port: int | None = None) -> Iterator[str]:
    """Any ASGI app behind a real uvicorn server on 127.0.0.1; yields its URL."""
    import uvicorn

    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, loop="uvloop",
                                           http="httptools", ws="none", log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True, name="sapgw-live-server")
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@pytest.fixture
def sapgw_server(sapgw: Gateway) -> Iterator[str]:
    """`sapgw` behind a real uvicorn server on 127.0.0.1 with its schedulers; yields the URL."""
    from sapgw.gateway.api.app import create_app

    with live_server(create_app(sapgw)) as url:
        yield url


@pytest.fixture
def sapgw_pyrfc(sapgw_server: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`sapgw.pyrfc`, with every Connection going to `sapgw_server` (SAPGW_RFC_URL)."""
    import sapgw.pyrfc

    monkeypatch.setenv("SAPGW_RFC_URL", sapgw_server)
    return sapgw.pyrfc


# -- scenario files (docs/SCENARIOS.md) ---------------------------------------------------------
SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    """`scenario_*.yaml` / `.yml` / `.json` files become tests, one item per file."""
    if file_path.name.startswith("scenario_") and file_path.suffix in SCENARIO_SUFFIXES:
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from sapgw.gateway.scenario_files import load

        scenario = load(self.path)  # a bad file: a collection error naming step and field
        yield ScenarioItem.from_parent(self, name=scenario.name, scenario=scenario)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> Any:
        from sapgw.gateway.scenario_files import ScenarioError

        if isinstance(excinfo.value, ScenarioError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)


class ScenarioFailed(AssertionError):
    """A scenario ran and something it expects did not hold (or a step could not be done)."""


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario

    def runtest(self) -> None:
        from sapgw.gateway.scenario_files import LocalDriver, run_scenario
        from sapgw.gateway.scenario_files.report import text_report

        config = self.config.getoption("--sapgw-config")
        with Gateway.in_memory(config=Path(config) if config else None) as gateway:
            outcome = run_scenario(self.scenario, LocalDriver(gateway))
        if not outcome.passed:
            raise ScenarioFailed(text_report(outcome, verbose=False))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> Any:
        if isinstance(excinfo.value, ScenarioFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"scenario: {self.name}"
