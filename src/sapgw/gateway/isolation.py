"""Isolation: reset both systems to the demo or a named state; named snapshots of both.

    gw.reset()                 # the demo: what `sapgw init` makes ([erp] customizing included)
    gw.reset("year-end")       # a named state: states_dir/year-end/*.toml over the demo
    gw.snapshot("before")      # both databases, saved under one name
    gw.restore("before")       # both back, exactly

The gateway's database and the ERP stub's are restored each in one transaction of its own
(`sapgw.snapshots`), the gateway first. Both refuse, before anything changes, while a worker
holds a queue lease (SMQ1/SMQ2 of the gateway, SMQ1 of the ERP), naming worker and queue.
The audit log is never reset or restored: it records these actions. The ERP is reached as the
gateway reaches it everywhere, through the local destination's system (`Gateway.local_erp`);
without one only the gateway is reset, and the answer says so.

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
        """Both systems as a new installation with the demo data set, or a named state (a
        folder of TOML files in `[gateway] states_dir`, or a path to one). A name that is no
        state but a saved snapshot restores that snapshot."""
        state_dir = self.state_directory(state)
        if state is not None and state_dir is None:
            return {**self.restore(state), "state": state}
        self._refuse_if_leased("reset")
        gateway = self._restore_gateway(self._gateway_template(), "reset")
        erp = self.gw.local_erp()
        if state_dir is None:
            state_dir = self.gw.settings.erp_customizing
        erp_rows = (None if erp is None else
                    erp.isolation.reset(state_dir, self.directory))
        self._forget()
        return {"state": state or DEMO, "gateway": _total(gateway), "erp": _total(erp_rows)}

    def snapshot(self, name: str) -> dict[str, Any]:
        """Save both databases under `name` (replacing a snapshot of that name)."""
        check_name(name)
        created = self.gw.clock.now().isoformat()
        gateway = self.store.save(name, created, exclude=KEEP)
        erp = self.gw.local_erp()
        erp_info = None if erp is None else erp.isolation.snapshot(name, self.directory, created)
        return {"name": name, "created_at": created, "gateway": gateway.to_json(),
                "erp": erp_info.to_json() if erp_info is not None else None}

    def restore(self, name: str) -> dict[str, Any]:
        """Both databases as saved under `name`."""
        check_name(name)
        erp = self.gw.local_erp()
        missing = [label for label, store in (("gateway", self.store),
                                              ("ERP", erp and erp.isolation.store(
                                                  self.directory)))
                   if store is not None and not store.exists(name)]
        if missing:
            known = ", ".join(s["name"] for s in self.snapshots()) or "none"
            raise UnknownSnapshot(f"snapshot {name!r} does not exist (missing for: "
                                  f"{', '.join(missing)}); saved snapshots: {known}")
        self._refuse_if_leased("restore")
        gateway = self._restore_gateway(name, "restore")
        erp_rows = None if erp is None else erp.isolation.restore(name, self.directory)
        self._forget()
        return {"snapshot": name, "gateway": _total(gateway), "erp": _total(erp_rows)}

    def snapshots(self) -> list[dict[str, Any]]:
        """Saved snapshots by name, with each database's part (None where it is missing)."""
        found: dict[str, dict[str, Any]] = {}
        erp = self.gw.local_erp()
        parts = [("gateway", self.store.list())]
        if erp is not None:
            parts.append(("erp", erp.isolation.snapshots(self.directory)))
        for label, infos in parts:
            for info in infos:
                entry = found.setdefault(info.name, {"name": info.name, "gateway": None,
                                                     "erp": None})
                entry[label] = info.to_json()
                entry["created_at"] = info.created_at
        return [found[name] for name in sorted(found)]

    def delete(self, name: str) -> bool:
        check_name(name)
        erp = self.gw.local_erp()
        gone = self.store.delete(name)
        if erp is not None:
            gone = erp.isolation.delete(name, self.directory) or gone
        if not gone:
            raise UnknownSnapshot(f"snapshot {name!r} does not exist")
        return gone

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
    def _refuse_if_leased(self, action: str) -> None:
        """Refuse before anything changes; each restore checks again in its transaction."""
        with self.gw.db.read() as conn:
            leases = held_leases(conn, self.gw.queue_store.schema, self.gw.clock.now())
        if leases:
            raise RestoreRefused(lease_refusal(action, "gateway", leases))
        erp = self.gw.local_erp()
        leases = erp.isolation.held_leases() if erp is not None else []
        if leases:
            raise RestoreRefused(lease_refusal(action, "ERP", leases))

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


def _total(counts: dict[str, int] | None) -> dict[str, int] | None:
    if counts is None:
        return None
    return {"tables": len(counts), "rows": sum(counts.values())}
