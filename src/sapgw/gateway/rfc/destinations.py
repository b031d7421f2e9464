"""Destinations (SM59): a name in config.ini -> a way to open an `RfcConnection`.

`type = local` loads the system named by import path (`system = sapgw.erp_stub`) in this
process — the one place where the gateway and the ERP stub meet, and only by name.
`type = http` speaks JSON RFC to a separately started system, `type = soap` SOAP RFC to a
partner's service (`soap_destination`). Each type is one entry of
`CONNECTORS`; a type's module is imported only when a destination of that type connects.
A type that can be checked before use (pyrfc: its optional library; replay: its cassette;
soap and pyrfc: their `env:` variables) has an entry in `CHECKS`, run when `Destinations` is
created, so the gateway refuses to start instead of failing at the first call.
"""

from __future__ import annotations

import importlib
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sapgw.clock import Clock
from sapgw.gateway.config import ConfigError, DestinationSettings, Settings, env_value, unset_env
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import CommunicationError

if TYPE_CHECKING:
    from sapgw.gateway.faults.inject import Injector
    from sapgw.qrfc.sender import RetryPolicy


class UnknownDestination(LookupError):
    """No [destination NAME] section in config.ini."""


class Destinations:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        problems = destination_problems(settings)
        if problems:
            raise ConfigError(problems)
        self.settings = settings
        self.clock = clock
        self._systems: dict[str, Any] = {}
        self._lock = threading.Lock()
        # The local systems' own SM59 (name -> connection factory), e.g. the ERP's CRM:
        # the gateway's served RFC layer. Given to each local system that has outbound queues.
        self.local_destinations: dict[str, Callable[[], RfcConnection]] = {}
        # Failure injection (gateway.faults): set by the Gateway; every connection opened
        # here passes its rules.
        self.faults: Injector | None = None

    def settings_of(self, name: str) -> DestinationSettings:
        try:
            return self.settings.destinations[name]
        except KeyError:
            raise UnknownDestination(f"destination {name} is not defined in config.ini "
                                     f"([destination {name}])") from None

    def connect(self, name: str, also_named: tuple[str, ...] = ()) -> RfcConnection:
        """A new connection to the destination (callers keep it for a session), under the
        failure injection rules. A record destination records the connection it wraps with
        the rules applied inside, so the cassette writes injected outcomes down, marked."""
        dest = self.settings_of(name)
        connection = CONNECTORS[dest.type](self, dest)
        if dest.type == "record":
            return connection
        return self.with_faults(connection, (name, *also_named), dest.timeout)

    def with_faults(self, connection: RfcConnection, names: tuple[str, ...],
                    timeout: float | None = None) -> RfcConnection:
        """`connection` under the rules for destinations `names` (as is without rules)."""
        if self.faults is None:
            return connection
        from sapgw.gateway.faults.connection import FaultyConnection

        return FaultyConnection(connection, self.faults, names, timeout)

    def local_system(self, name: str) -> Any:
        """The in-process system behind a `type = local` destination, created once."""
        dest = self.settings_of(name)
        if dest.type != "local":
            raise CommunicationError(f"destination {name} is of type {dest.type}, not local",
                                     1, "RFC_COMMUNICATION_FAILURE")
        system = self._systems.get(dest.system)  # every connection asks: no lock once made
        if system is not None:
            return system
        with self._lock:
            system = self._systems.get(dest.system)
            if system is None:
                module = importlib.import_module(dest.system)
                db_url, schema = local_database(self.settings, dest)
                options: dict[str, Any] = {"logical_system": self.settings.erp_logical_system}
                if dest.system != ERP_SYSTEM:  # another system (RAR) has a name of its own
                    options = {}
                system = module.create_system(
                    db_url, schema=schema, customizing_dir=self.settings.erp_customizing,
                    clock=self.clock, **options)
                if hasattr(system, "local_call_hook"):  # CALL FUNCTION under the rules
                    system.local_call_hook = self._local_calls(dest.name, system)
                outbound = getattr(system, "outbound", None)
                for target, connect in self.local_destinations.items():
                    if outbound is not None and target != name:
                        policy = (self.policy(target) if target in self.settings.destinations
                                  else None)  # the sender's default
                        outbound.set_destination(target, connect, policy)
                self._systems[dest.system] = system
        return system

    def policy(self, name: str) -> RetryPolicy:
        """The SMQS retry policy of destination `name` (count, interval, back-off, runtime
        from its section): the one source for the gateway's workers and the local systems'
        outbound queues. UnknownDestination without a section."""
        from sapgw.qrfc.sender import RetryPolicy  # the CLI's parser imports no store module

        dest = self.settings_of(name)
        return RetryPolicy(dest.retry_count, dest.retry_interval, dest.retry_backoff,
                           dest.max_runtime)

    def _local_calls(self, name: str, system: Any) -> Callable[..., dict[str, Any]]:
        """The failure injection rules around CALL FUNCTION inside a local system (a fund
        posting's BAPI_ACC_DOCUMENT_POST), as calls at destination `name`."""
        from sapgw.gateway.faults.connection import t100_text
        from sapgw.gateway.faults.inject import Site, shape_from_interface

        def shape(function: str) -> Any:
            return shape_from_interface(system.registry.get(function).interface)

        def text(msg_class: str, number: str) -> str | None:
            with system.connect() as conn:
                return t100_text(conn, msg_class, number)

        site = Site((name,), shape, text, local=True)

        def hook(function: str, params: dict[str, Any], run: Callable[[], dict[str, Any]]
                 ) -> dict[str, Any]:
            return run() if self.faults is None else self.faults.call(site, function,
                                                                     params, run)
        return hook

    def local_systems(self) -> list[Any]:
        with self._lock:
            return list(self._systems.values())

    def close(self) -> None:
        with self._lock:
            for system in self._systems.values():
                system.db.dispose()
            self._systems.clear()


ERP_SYSTEM = "sapgw.erp_stub"  # the import path of the ERP stub itself


def local_database(settings: Settings, dest: DestinationSettings) -> tuple[str, str]:
    """(db_url, schema) of a local destination's system: its own `db_url`/`db_schema`; the
    ERP's [erp] database for the ERP stub; for another system (RAR) `<name>.db` beside the
    ERP's SQLite file, or on PostgreSQL the ERP's URL with schema `<erp schema>_<name>`."""
    own_url, own_schema = dest.params.get("db_url", ""), dest.params.get("db_schema", "")
    if own_url:
        return own_url, own_schema or f"{settings.erp_db_schema}_{dest.name.lower()}"
    if dest.system == ERP_SYSTEM:
        return settings.erp_db_url, own_schema or settings.erp_db_schema
    if settings.erp_db_url.startswith("sqlite:///") and ":memory:" not in settings.erp_db_url:
        folder = settings.erp_db_url.removeprefix("sqlite:///").rsplit("/", 1)[0]
        return f"sqlite:///{folder}/{dest.name.lower()}.db", ""
    return settings.erp_db_url, own_schema or f"{settings.erp_db_schema}_{dest.name.lower()}"


def _connect_local(destinations: Destinations, dest: DestinationSettings) -> RfcConnection:
    return destinations.local_system(dest.name).connect()


def _connect_http(destinations: Destinations, dest: DestinationSettings) -> RfcConnection:
    from sapgw.rfc.jsonrfc_client import HttpRfcConnection

    return HttpRfcConnection(dest.url, timeout=dest.timeout, user=dest.params.get("user", ""),
                             passwd=env_value(dest.params.get("passwd", "")))


def _connect_record(destinations: Destinations, dest: DestinationSettings) -> RfcConnection:
    from sapgw.rfc.cassette import RecordingConnection

    return RecordingConnection(destinations.connect(dest.params["wraps"], (dest.name,)),
                               dest.params["cassette"])


# Per gateway and replay destination, the replayed system: all its connections share which
# recordings are used and which TIDs were executed, as they would share a real system.
_replays: weakref.WeakKeyDictionary[Destinations, dict[str, Any]] = weakref.WeakKeyDictionary()
_replays_lock = threading.Lock()


def _connect_replay(destinations: Destinations, dest: DestinationSettings) -> RfcConnection:
    from sapgw.rfc.cassette import Replay

    with _replays_lock:
        replays = _replays.setdefault(destinations, {})
        if dest.name not in replays:
            ignore = dest.params.get("ignore", "").split(",")
            replays[dest.name] = Replay.load(dest.params["cassette"],
                                             dest.params.get("match") or "params", ignore)
        return replays[dest.name].connect()


def _check_replay(dest: DestinationSettings) -> list[str]:
    """A replay cassette that cannot be read refuses the start (config check names the line)."""
    from sapgw.rfc.cassette import CassetteError, read_lines, recordings

    path = dest.params.get("cassette", "")
    try:
        recordings(read_lines(path), path)
    except CassetteError as exc:
        return [f"cassette: {exc}"]
    return []


def _connect_pyrfc(destinations: Destinations, dest: DestinationSettings) -> RfcConnection:
    from sapgw.gateway.rfc.pyrfc_destination import connect

    return connect(dest)


def _check_pyrfc(dest: DestinationSettings) -> list[str]:
    from sapgw.gateway.rfc.pyrfc_destination import check_destination

    return check_destination(dest)


def _check_env(dest: DestinationSettings) -> list[str]:
    """soap, http: a password `env:NAME` whose variable is not set refuses the start."""
    return unset_env(dest.params)


def _connect_soap(destinations: Destinations, dest: DestinationSettings) -> RfcConnection:
    from sapgw.gateway.rfc.soap_destination import connect

    return connect(dest)


def destination_problems(settings: Settings) -> list[str]:
    """What keeps the configured destinations from working here (e.g. pyrfc not installed)."""
    return [f"[destination {dest.name}] {problem}"
            for dest in settings.destinations.values()
            for problem in CHECKS.get(dest.type, lambda _dest: [])(dest)]


# Destination type -> how to open a connection (config.DESTINATION_KEYS lists the same types).
CONNECTORS: dict[str, Callable[[Destinations, DestinationSettings], RfcConnection]] = {
    "local": _connect_local,
    "http": _connect_http,
    "record": _connect_record,
    "replay": _connect_replay,
    "pyrfc": _connect_pyrfc,
    "soap": _connect_soap,
}
# Destination type -> its start-up check: problems that refuse the start, [] if none.
CHECKS: dict[str, Callable[[DestinationSettings], list[str]]] = {
    "pyrfc": _check_pyrfc,
    "replay": _check_replay,
    "soap": _check_env,
    "http": _check_env,
}
