"""Reset, snapshots and restore of one ERP system's database, and what the process forgets.

A **state** is a data set: the applications' own files (`Application.data`, the demo) with the
TOML files of one directory merged over them, as `[erp] customizing = DIR` does at start. To
reset, the state is seeded once per process into an empty database of the same kind (a
*template*: a SQLite file or a PostgreSQL schema beside the snapshots) by the applications'
own seeds, then restored like any snapshot. So a reset gives exactly what a new database
gets, in one transaction, and the second reset costs only the copy.

The same code serves every system built on the kernel: the ERP and the Revenue Accounting
system (RAR) each keep their snapshots under a label of their own (`erp`, `rar`: the file
`<label>.db` of a SQLite snapshot; on PostgreSQL the system's own schema names the snapshot's),
set by whoever runs them (`name`).

A restore (of a template or a snapshot) refuses while a worker holds a lease on one of the
system's outbound queues (SMQ1), and writes a DDLOG `$SYNC` row numbered above every row any
process has seen, so every other process drops its table buffer, its number-range buffer and
its caches at its next call. The ERP system objects of this process drop theirs at once
(`drop_all_buffers`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from sapgw import __version__
from sapgw.db import Database
from sapgw.erp_stub.kernel.buffer import DDLOG, SYNC
from sapgw.erp_stub.kernel.dataset import DataSet
from sapgw.erp_stub.kernel.qout_tables import ERP_QUEUES
from sapgw.qrfc.queries import held_leases, lease_refusal
from sapgw.snapshots import RestoreRefused, SnapshotInfo, SnapshotStore

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.system import ErpSystem

LABEL = "erp"  # the ERP's; another system is named by the gateway's destination (`name`)
_DDLOG = DDLOG.__table__  # type: ignore[attr-defined]


class ErpIsolation:
    def __init__(self, system: ErpSystem) -> None:
        self.system = system
        self.label = LABEL   # the snapshot file's name: <directory>/<snapshot>/<label>.db
        self.title = "ERP"   # the system's name in messages (lease refusals)
        self._templates: dict[tuple[str, str], str] = {}  # (directory, signature) -> name

    def name(self, label: str, title: str) -> ErpIsolation:
        """Name this system's snapshots and messages (the RAR system: "rar", "RAR"), so two
        systems' snapshots in one folder do not clash."""
        self.label, self.title = label, title
        return self

    def store(self, directory: Path | None) -> SnapshotStore:
        return SnapshotStore(self.system.db, self.label, directory)

    def held_leases(self) -> list[dict[str, Any]]:
        """The system's outbound queues a sender holds now (refuses reset and restore)."""
        with self.system.db.read() as conn:
            return held_leases(conn, ERP_QUEUES, self.system.clock.now())

    # -- snapshots -------------------------------------------------------------------------
    def snapshot(self, name: str, directory: Path | None, created: str | None = None
                 ) -> SnapshotInfo:
        created = created or self.system.clock.now().isoformat()
        return self.store(directory).save(name, created)

    def snapshots(self, directory: Path | None) -> list[SnapshotInfo]:
        return self.store(directory).list()

    def delete(self, name: str, directory: Path | None) -> bool:
        return self.store(directory).delete(name)

    def restore(self, name: str, directory: Path | None, action: str = "restore"
                ) -> dict[str, int]:
        """Every table as saved under `name`, then nothing stale in any process."""
        seen = [0]

        def before(conn: Connection) -> None:
            leases = held_leases(conn, ERP_QUEUES, self.system.clock.now())
            if leases:
                raise RestoreRefused(lease_refusal(action, self.title, leases))
            seen[0] = conn.execute(select(func.max(_DDLOG.c.SEQNO))).scalar() or 0

        def after(conn: Connection) -> None:
            restored = conn.execute(select(func.max(_DDLOG.c.SEQNO))).scalar() or 0
            now = self.system.clock.now()
            conn.execute(_DDLOG.insert().values(
                SEQNO=max(seen[0], restored) + 1, TABNAME=SYNC,
                DATUM=now.strftime("%Y%m%d"), UZEIT=now.strftime("%H%M%S")))

        try:
            return self.store(directory).restore(name, before=before, after=after)
        finally:
            from sapgw.erp_stub.kernel.system import drop_all_buffers

            drop_all_buffers()

    # -- reset -----------------------------------------------------------------------------
    def reset(self, state_dir: Path | None, directory: Path | None) -> dict[str, int]:
        """The data set of the applications' files plus `state_dir`'s, as a new database."""
        files = [path for app in self.system.applications for path in app.data]
        name = self.template(files, state_dir, directory)
        counts = self.restore(name, directory, action="reset")
        self.system.data = DataSet.load(files, state_dir)
        return counts

    def template(self, files: list[Path], state_dir: Path | None,
                 directory: Path | None) -> str:
        """The seeded template of this data set (built on first use in this process)."""
        state_files = sorted(Path(state_dir).glob("*.toml")) if state_dir is not None else []
        signature = _signature([*files, *state_files], self.system)
        key = (str(directory), signature)
        name = self._templates.get(key)
        if name is not None and self.store(directory).exists(name):
            return name
        name = f"_state_{signature[:12]}"
        store = self.store(directory)
        store.delete(name)  # a template a crashed process left behind
        url, schema = store.location(name)
        db = Database(url, schema)
        try:
            system = type(self.system)(db, self.system.applications,
                                       DataSet.load(files, state_dir), self.system.clock,
                                       self.system.logical_system, self.system.client)
            system.create_tables()
        finally:
            db.dispose()
        self._templates[key] = name
        return name

    def close(self, directory: Path | None) -> None:
        """Drop the templates this process built (its next reset builds them again)."""
        for (where, _), name in list(self._templates.items()):
            if where == str(directory):
                self.store(directory).delete(name)
        self._templates = {k: v for k, v in self._templates.items() if k[0] != str(directory)}


def _signature(files: list[Path], system: ErpSystem) -> str:
    """What the seeded rows depend on: the files (path, size, modification), the release,
    the applications and the system's names."""
    digest = hashlib.sha256(f"{__version__}|{system.logical_system}|{system.client}|".encode())
    digest.update(",".join(app.name for app in system.applications).encode())
    for path in files:
        stat = Path(path).stat()
        digest.update(f"|{Path(path).resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()
