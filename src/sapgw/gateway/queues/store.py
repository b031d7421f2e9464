"""The gateway's queue store: the qRFC layer's store on the gateway's tables.

`qrfc_queue`/`qrfc_luw` (`gateway/store/tables.py`) keep their names and columns, so older
var/ databases work unchanged; the semantics (EOIO, leases, dependencies, retries) are
`sapgw.qrfc.store`'s, shared with the ERP's own outbound queues.
"""

from __future__ import annotations

from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.gateway.store.tables import QrfcLuw, QrfcQueue
from sapgw.qrfc import store as qrfc_store
from sapgw.qrfc.schema import Luw, QueueSchema

Q = QrfcQueue.__table__  # type: ignore[attr-defined]
L = QrfcLuw.__table__  # type: ignore[attr-defined]
GATEWAY_QUEUES = QueueSchema.of(Q, L)

__all__ = ["GATEWAY_QUEUES", "L", "Luw", "Q", "QueueStore"]


class QueueStore(qrfc_store.QueueStore):
    """Queues of the gateway: SMQ1 (direction out) and SMQ2 (in, incl. the CSA flow queues)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        super().__init__(db, clock, GATEWAY_QUEUES)
