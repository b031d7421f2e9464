"""The pytest plugin: a throw-away gateway with its ERP stub for integration tests.

    def test_accrual(sapgw):
        sent = sapgw.send("CRM_FM_FPO", {...})
        sapgw.run_until_idle()
        assert sapgw.bdoc(sent["bdoc_id"])["state"] == "F04"
        erp = sapgw.destination("ERP")          # an RfcConnection, shaped like pyrfc's
        erp.call("RFC_READ_TABLE", QUERY_TABLE="BKPF", ...)

`sapgw_server` runs the same gateway behind a real uvicorn server on 127.0.0.1 and yields its
base URL, for tests that go over HTTP. `--sapgw-config FILE` starts from your config.ini;
a `sapgw_overrides` fixture of your own sets keys over it (`{"auth": {"users": ...}}`), as
one named `sapgw_clock` freezes or shifts the time.

`injected_fault(sapgw or sapgw_server's URL, kind=..., ...)` adds a failure injection rule
for a with-block and deletes it after (docs/FAULTS.md); the `sapgw_fault` fixture adds
rules to `sapgw` and deletes them when the test ends.

Isolation (docs/ISOLATION.md): `@pytest.mark.sapgw_state("NAME")` starts `sapgw` from a named
state; the `sapgw_admin` fixture resets, saves and restores snapshots, of the test's own
gateway, or with `--sapgw-url URL` (SAPGW_URL; SAPGW_USER/SAPGW_PASSWORD for an admin user)
of a server that runs for the whole session:

    def test_clean_start(sapgw_admin):
        sapgw_admin.reset()                    # or .reset("year-end"), .restore("before")

`--sapgw-pyrfc` makes `import pyrfc` give `sapgw.pyrfc` for the whole run (code written for
pyrfc runs unchanged), and the `sapgw_pyrfc` fixture points every `pyrfc.Connection` at
`sapgw_server` (SAPGW_RFC_URL) and yields the module.

Files named `scenario_*.yaml`, `scenario_*.yml` or `scenario_*.json` are collected as tests:
each runs on a fresh gateway (as `sapgw`, from `--sapgw-config`) and fails with the scenario's
report, every expectation with expected vs. found (docs/SCENARIOS.md).
"""

from __future__ import annotations

import contextlib
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
    parser.addoption("--sapgw-url", default=None,
                     help="a running `sapgw serve` that sapgw_admin resets and restores "
                          "(default: $SAPGW_URL; none: the test's own gateway)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sapgw_state(name): start the sapgw fixture from this "
                            "named state (a folder of states_dir, a path, or a snapshot)")
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
def sapgw_overrides() -> dict[str, dict[str, str]]:
    """config.ini keys `sapgw` sets over its config, by section (none); override the fixture
    in a module, or parametrize it for one test, for e.g. a gateway with `[auth]` users."""
    return {}


@pytest.fixture
def sapgw(request: pytest.FixtureRequest, sapgw_clock: Clock,
          sapgw_overrides: dict[str, dict[str, str]]) -> Iterator[Gateway]:
    """A gateway and ERP stub on temporary SQLite databases; queues run on `run_until_idle()`."""
    config = request.config.getoption("--sapgw-config")
    gateway = Gateway.in_memory(clock=sapgw_clock, config=Path(config) if config else None,
                                overrides=sapgw_overrides)
    try:
        marker = request.node.get_closest_marker("sapgw_state")
        if marker is not None:
            gateway.reset(*marker.args, **marker.kwargs)
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


@contextmanager
def injected_fault(target: Gateway | str, user: str = "", password: str = "",
                   **rule: Any) -> Iterator[dict[str, Any]]:
    """A failure injection rule for the with-block, on a Gateway or a server's URL (REST,
    `user`/`password` of an admin where the server has [auth] users); yields it listed."""
    if isinstance(target, Gateway):
        added = target.faults.add(rule, created_by="pytest")
        try:
            yield added
        finally:
            with contextlib.suppress(LookupError):
                target.faults.clear(added["id"])
        return
    import httpx

    auth = httpx.BasicAuth(user, password) if user else None
    with httpx.Client(base_url=target, auth=auth, timeout=30) as http:
        response = http.post("/api/admin/faults", json=rule)
        if response.status_code != 201:
            raise ValueError(f"the fault rule was refused: HTTP {response.status_code} "
                             f"{response.text}")
        added = response.json()
        try:
            yield added
        finally:
            http.delete(f"/api/admin/faults/{added['id']}")


@pytest.fixture
def sapgw_fault(sapgw: Gateway) -> Iterator[Any]:
    """`sapgw_fault(kind="down", destination="ERP")` adds a rule to `sapgw` (answers it
    listed); the rules added are deleted when the test ends."""
    added: list[str] = []

    def add(**rule: Any) -> dict[str, Any]:
        listed = sapgw.faults.add(rule, created_by="pytest")
        added.append(listed["id"])
        return listed

    yield add
    for fault_id in added:
        with contextlib.suppress(LookupError):
            sapgw.faults.clear(fault_id)
@pytest.fixture
def sapgw_admin(request: pytest.FixtureRequest) -> Iterator[Any]:
    """Reset, snapshot, restore: `.reset(state=None)`, `.snapshot(name)`, `.restore(name)`,
    `.snapshots()`, `.delete(name)`, `.states()`. On `--sapgw-url`/SAPGW_URL's server over
    REST (/api/admin, as SAPGW_USER with SAPGW_PASSWORD), else on the test's `sapgw`."""
    import os

    url = request.config.getoption("--sapgw-url") or os.environ.get("SAPGW_URL")
    if not url:
        yield request.getfixturevalue("sapgw").isolation
        return
    from sapgw.gateway.isolation_remote import RemoteIsolation

    with RemoteIsolation(url, os.environ.get("SAPGW_USER", ""),
                         os.environ.get("SAPGW_PASSWORD", "")) as remote:
        yield remote


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
