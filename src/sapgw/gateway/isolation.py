"""Isolation: reset every local system to the demo or a named state; named snapshots of all.

    gw.reset()                 # the demo: what `sapgw init` makes ([erp] customizing included)
    gw.reset("year-end")       # a named state: states_dir/year-end/*.toml over the demo
    gw.snapshot("before")      # every database, saved under one name
    gw.restore("before")       # every one back, exactly

The systems: the gateway, the ERP stub (`Gateway.local_erp`, key "erp") and every other
`type = local` destination whose system has a database of its own (the Revenue Accounting
system, key "RAR"): a user testing FI-CA -> RAR gets no stale revenue contracts after a
reset. Each database is restored in one transaction of its own (`sapgw.snapshots`), the
gateway first. All refuse, before anything changes, while a worker holds a queue lease
(SMQ1/SMQ2 of the gateway, SMQ1 of each local system), naming worker and queue. The audit log
is never reset or restored: it records these actions. Without a local ERP the answer's "erp"
is None.

After a reset or a restore the process forgets what it held: the ERP's buffers (every ERP
system object of the process; other processes through DDLOG `$SYNC`), the gateway's worker
and its connections, and whatever another part registered in `Gateway.reset_hooks` (e.g.
injected faults).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from sapgw.gateway.store.tables import GatewayTable
from sapgw.qrfc.queries import held_leases, lease_refusal
from sapgw.snapshots import (
    RestoreRefused,
    SnapshotError,
    SnapshotStore,
    UnknownSnapshot,
    check_name,
)

if TYPE_CHECKING:
    from sapgw.gateway.runtime import Gateway

LABEL = "gateway"
ERP_LABEL = "erp"  # the ERP's snapshot files: <snapshot_dir>/<name>/erp.db
KEEP = ("audit_log",)  # tables reset and restore leave alone
DEMO = "demo"


class Isolation:
    def __init__(self, gateway: Gateway) -> None:
        self.gw = gateway
        self.directory = snapshot_directory(gateway.settings.snapshot_dir, gateway.db.url,
                                            gateway.settings.erp_db_url)
        self.store = SnapshotStore(gateway.db, LABEL, self.directory)
        self._template: str | None = None

    # -- the Python API ----------------------------------------------------------------------
    def reset(self, state: str | None = None) -> dict[str, Any]:
        """Every system as a new installation with the demo data set, or a named state (a
        folder of TOML files in `[gateway] states_dir`, or a path to one). A name that is no
        state but a saved snapshot restores that snapshot."""
        state_dir = self.state_directory(state)
        if state is not None and state_dir is None:
            return {**self.restore(state), "state": state}
        systems = self.systems()
        self._refuse_if_leased("reset", systems)
        gateway = self._restore_gateway(self._gateway_template(), "reset")
        if state_dir is None:
            state_dir = self.gw.settings.erp_customizing
        rows = {key: _total(system.isolation.reset(state_dir, self.directory))
                for key, system in systems.items()}
        self._forget()
        return {"state": state or DEMO, "gateway": _total(gateway), **_answer(rows)}

    def snapshot(self, name: str) -> dict[str, Any]:
        """Save every database under `name` (replacing a snapshot of that name)."""
        check_name(name)
        systems = self.systems()
        stores = [self.store, *(s.isolation.store(self.directory) for s in systems.values())]
        for store in stores:  # a name too long for one system's schema: refused for all
            if not store.db.is_sqlite:
                store.schema(name)
        created = self.gw.clock.now().isoformat()
        gateway = self.store.save(name, created, exclude=KEEP)
        infos = {key: system.isolation.snapshot(name, self.directory, created).to_json()
                 for key, system in systems.items()}
        return {"name": name, "created_at": created, "gateway": gateway.to_json(),
                **_answer(infos)}

    def restore(self, name: str) -> dict[str, Any]:
        """Every database as saved under `name`."""
        check_name(name)
        systems = self.systems()
        stores = {"gateway": self.store, **{_title(key): system.isolation.store(self.directory)
                                            for key, system in systems.items()}}
        missing = [label for label, store in stores.items() if not store.exists(name)]
        if missing:
            known = ", ".join(s["name"] for s in self.snapshots()) or "none"
            raise UnknownSnapshot(f"snapshot {name!r} does not exist (missing for: "
                                  f"{', '.join(missing)}); saved snapshots: {known}")
        self._refuse_if_leased("restore", systems)
        gateway = self._restore_gateway(name, "restore")
        rows = {key: _total(system.isolation.restore(name, self.directory))
                for key, system in systems.items()}
        self._forget()
        return {"snapshot": name, "gateway": _total(gateway), **_answer(rows)}

    def snapshots(self) -> list[dict[str, Any]]:
        """Saved snapshots by name, with each database's part (None where it is missing)."""
        found: dict[str, dict[str, Any]] = {}
        systems = self.systems()
        empty = {"gateway": None, **_answer(dict.fromkeys(systems))}
        parts = [("gateway", self.store.list()),
                 *((key, system.isolation.snapshots(self.directory))
                   for key, system in systems.items())]
        for key, infos in parts:
            for info in infos:
                entry = found.setdefault(info.name, {"name": info.name, **empty})
                entry[key] = info.to_json()
                entry["created_at"] = info.created_at
        return [found[name] for name in sorted(found)]

    def delete(self, name: str) -> bool:
        check_name(name)
        gone = self.store.delete(name)
        for system in self.systems().values():
            gone = system.isolation.delete(name, self.directory) or gone
        if not gone:
            raise UnknownSnapshot(f"snapshot {name!r} does not exist")
        return gone

    def systems(self) -> dict[str, Any]:
        """The local systems with a database of their own, by their key in the answers:
        "erp" for the ERP of `[gateway] serve_rfc`, then each other `type = local`
        destination's system by the destination's name (the Revenue Accounting system:
        "RAR"). A destination whose system or database is one already listed (or the
        gateway's) is that system, not another. Each is named for its snapshots."""
        settings = self.gw.settings
        found: dict[str, Any] = {}
        seen = {(self.gw.db.url, self.gw.db.schema)}
        erp = self.gw.local_erp()
        if erp is not None:
            erp.isolation.name(ERP_LABEL, "ERP")
            found["erp"] = erp
            seen.add((erp.db.url, erp.db.schema))
        for dest in sorted(settings.destinations.values(), key=lambda d: d.name):
            if dest.type != "local" or dest.name == settings.rfc_destination:
                continue
            system = self.gw.destinations.local_system(dest.name)
            where = (system.db.url, system.db.schema)
            if where in seen or not hasattr(system, "isolation"):
                continue
            seen.add(where)
            system.isolation.name(_label(dest.name, erp is not None), dest.name)
            found[dest.name] = system
        return found

    def states(self) -> list[str]:
        """The named states: folders of `[gateway] states_dir`."""
        root = self.gw.settings.states_dir
        if root is None or not root.is_dir():
            return []
        return sorted(p.name for p in root.iterdir() if p.is_dir())

    def state_directory(self, state: str | None) -> Path | None:
        """The folder of a named state; None for the demo and for a snapshot's name."""
        if state is None or state == DEMO:
            return None
        root = self.gw.settings.states_dir
        candidates = [root / state] if root is not None and "/" not in state else []
        candidates.append(Path(state))
        for path in candidates:
            if path.is_dir():
                if not any(path.glob("*.toml")):
                    raise SnapshotError(f"state {state!r} ({path}) holds no *.toml file")
                return path.resolve()
        if self.store.exists(state) if _snapshot_like(state) else False:
            return None
        states = ", ".join(self.states()) or "none"
        where = f" in {root}" if root is not None else " ([gateway] states_dir is not set)"
        raise UnknownSnapshot(f"unknown state {state!r}: no folder of that name{where} and no "
                              f"snapshot of that name; states: {states}")

    def close(self) -> None:
        """Drop the templates built by this process."""
        if self._template is not None:
            self.store.delete(self._template)
            self._template = None
        for system in self.gw.destinations.local_systems():
            if "isolation" in vars(system):  # only where one was made
                system.isolation.close(self.directory)

    # -- internals ---------------------------------------------------------------------------
    def _refuse_if_leased(self, action: str, systems: dict[str, Any]) -> None:
        """Refuse before anything changes; each restore checks again in its transaction."""
        with self.gw.db.read() as conn:
            leases = held_leases(conn, self.gw.queue_store.schema, self.gw.clock.now())
        if leases:
            raise RestoreRefused(lease_refusal(action, "gateway", leases))
        for key, system in systems.items():
            leases = system.isolation.held_leases()
            if leases:
                raise RestoreRefused(lease_refusal(action, _title(key), leases))

    def _restore_gateway(self, name: str, action: str) -> dict[str, int]:
        def before(conn: Connection) -> None:
            leases = held_leases(conn, self.gw.queue_store.schema, self.gw.clock.now())
            if leases:
                raise RestoreRefused(lease_refusal(action, "gateway", leases))

        return self.store.restore(name, exclude=KEEP, before=before)

    def _gateway_template(self) -> str:
        """The gateway's tables as a new installation has them (IDoc partners, ports)."""
        if self._template is not None and self.store.exists(self._template):
            return self._template
        from sapgw.gateway.idoc.service import IdocService

        name = "_state_gateway"
        self.store.delete(name)
        url, schema = self.store.location(name)
        from sapgw.db import Database

        db = Database(url, schema)
        try:
            db.create_all(GatewayTable.metadata)
            settings = self.gw.settings
            IdocService(db, self.gw.clock, self.gw.destination, settings.client,
                        settings.logical_system)
        finally:
            db.dispose()
        self._template = name
        return name

    def _forget(self) -> None:
        worker, self.gw._worker = self.gw._worker, None
        if worker is not None:
            worker.close()
        for hook in list(self.gw.reset_hooks):
            hook()


def snapshot_directory(configured: Path | None, *urls: str) -> Path | None:
    """`[gateway] snapshot_dir`, else `snapshots` beside the first SQLite database file."""
    if configured is not None:
        return configured
    for url in urls:
        if url.startswith("sqlite") and "///" in url:
            path = url.split("///", 1)[1]
            if path and path != ":memory:":
                return Path(path).resolve().parent / "snapshots"
    return None


def _snapshot_like(name: str) -> bool:
    try:
        check_name(name)
    except SnapshotError:
        return False
    return True


def _label(destination: str, with_erp: bool) -> str:
    """The snapshot label of another local system: its destination's name in lower case
    (`rar.db`), never one the gateway or the ERP use."""
    label = destination.lower()
    taken = (LABEL, ERP_LABEL) if with_erp else (LABEL,)
    return f"dest_{label}" if label in taken else label


def _title(key: str) -> str:
    """A system's name in messages: "ERP", or the destination's name."""
    return "ERP" if key == "erp" else key


def _answer(parts: dict[str, Any]) -> dict[str, Any]:
    """The systems' parts of an answer: "erp" always (None without a local ERP), then the
    other systems by destination name."""
    return {"erp": parts.get("erp"), **{k: v for k, v in parts.items() if k != "erp"}}


def _total(counts: dict[str, int] | None) -> dict[str, int] | None:
    if counts is None:
        return None
    return {"tables": len(counts), "rows": sum(counts.values())}
