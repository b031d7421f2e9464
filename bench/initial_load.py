"""Initial load of N customers (default 100,000) from the ERP into CRM: customers/s, and the
plain-script limit beside it in the same run.

    python bench/initial_load.py [--n 100000] [--block-size 100] [--db-dir DIR]

The customers are written straight into the ERP's KNA1/KNB1 first (not timed). The timed
part is `sapgw load start CUSTOMER_MAIN` in-process (`Loads.start` + `Loads.run`): the ERP
extracts block after block (one LUW each: TRFCQOUT row + CRMLOADST cursor), its QOUT sends
each block to BAPI_CRM_SAVE through the gateway's SMQ2 (R3AI_CUSTOMER_MAIN), one BDoc per
customer is stored with the block row, the TID record and the flow LUWs, and the flows run
to F04; it ends when R3AM1 shows DONE. The run is checked: N BUPA_MAIN BDocs in F04 with N
distinct keys.

"The limit" writes the same rows with the same commits through SQLAlchemy Core, one process,
no gateway and no ERP code: per block one ERP transaction (read the block, TRFCQOUT row,
cursor update), one gateway transaction (BDoc headers, bodies, first log rows, flow LUWs,
block row, BDoc links, TID record, the TRFCQOUT row deleted in the ERP after it), and one
flow transaction (flow LUWs deleted, headers F04, log rows). The gateway's cost is the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, func, insert, select, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sapgw.erp_stub.kernel.qout_tables import TRFCQOUT
from sapgw.erp_stub.masterdata.crm_load import CRMLOADST
from sapgw.erp_stub.masterdata.tables import KNA1, KNB1
from sapgw.gateway.loads.store import BLOCKS, LINKS
from sapgw.gateway.runtime import Gateway
from sapgw.gateway.store.tables import (
    BDocBody,
    BDocHeader,
    BDocLog,
    GatewayTid,
    QrfcLuw,
)
from tests.loads.customers import insert_customers
from tests.stores.processes import write_config

H, B, G = (t.__table__ for t in (BDocHeader, BDocBody, BDocLog))  # type: ignore[attr-defined]
L, T = QrfcLuw.__table__, GatewayTid.__table__  # type: ignore[attr-defined]
Q, S = TRFCQOUT.__table__, CRMLOADST.__table__  # type: ignore[attr-defined]
K1, K2 = KNA1.__table__, KNB1.__table__  # type: ignore[attr-defined]


def gateway_run(directory: Path, n: int, block: int) -> float:
    settings = write_config(directory / "c.ini", f"sqlite:///{directory}/gw.db",
                            f"sqlite:///{directory}/erp.db")
    with Gateway(settings) as gw:
        insert_customers(gw.local_erp(), n)
        started = time.perf_counter()
        load = gw.loads.start("CUSTOMER_MAIN", block_size=block,
                              filters=[f"KUNNR=500001..{500000 + n}"])
        status = gw.loads.run(load["load_id"], timeout=3600)
        seconds = time.perf_counter() - started
        with gw.db.read() as conn:
            count, keys = conn.execute(select(func.count(), func.count(func.distinct(
                H.c.object_key))).where(H.c.bdoc_type == "BUPA_MAIN", H.c.state == "F04")
                ).one()
    if status["status"] != "DONE" or count != n or keys != n:
        raise SystemExit(f"load not complete: {status['status']}, {count} F04, {keys} keys")
    return n / seconds


def limit_run(directory: Path, n: int, block: int) -> float:
    settings = write_config(directory / "l.ini", f"sqlite:///{directory}/lgw.db",
                            f"sqlite:///{directory}/lerp.db")
    with Gateway(settings) as gw:
        erp_db, gw_db = gw.local_erp().db, gw.db
        insert_customers(gw.local_erp(), n)
        now = datetime.now(UTC)
        started = time.perf_counter()
        last, blocks = "", 0
        with erp_db.write() as conn:
            conn.execute(insert(S), {"LOAD_ID": "L", "OBJNAME": "CUSTOMER_MAIN",
                                     "LOAD_TYPE": "I", "SELECTION": "[]", "LAST_KEY": "",
                                     "BLOCKS": 0, "OBJECTS": 0, "DONE": ""})
        while True:
            with erp_db.write() as conn:  # the ERP's block LUW
                rows = conn.execute(select(K1).where(K1.c.KUNNR > last).order_by(K1.c.KUNNR)
                                    .limit(block)).mappings().all()
                if not rows:
                    break
                keys = [r["KUNNR"] for r in rows]
                company = conn.execute(select(K2).where(K2.c.KUNNR.between(keys[0], keys[-1]))
                                       ).mappings().all()
                data = json.dumps([{"TABNAME": "KNA1", "OBJKEY": r["KUNNR"], "DATA": json.dumps(
                    dict(r), default=str)} for r in rows] + [{"TABNAME": "KNB1", "DATA": json.dumps(
                        dict(r), default=str)} for r in company])
                tid = secrets.token_hex(12).upper()
                qcount = conn.execute(insert(Q).returning(Q.c.QCOUNT), {
                    "QNAME": "R3AI_CUSTOMER_MAIN", "DEST": "CRM", "ARFCTID": tid,
                    "ARFCSDATA": data, "QDEPEND": "", "QTIME": now}).scalar_one()
                conn.execute(update(S).where(S.c.LOAD_ID == "L", S.c.LAST_KEY == last).values(
                    LAST_KEY=keys[-1], BLOCKS=blocks + 1, OBJECTS=S.c.OBJECTS + len(rows)))
            last, blocks = keys[-1], blocks + 1
            ids = [secrets.token_hex(16).upper() for _ in rows]
            with gw_db.write() as conn:  # BAPI_CRM_SAVE: the block's BDocs
                conn.execute(insert(H), [{"bdoc_id": b, "bdoc_type": "BUPA_MAIN", "state": "I01",
                                          "flow_context": "MI0", "sender": "ERP",
                                          "object_key": k.lstrip("0"), "error": "",
                                          "created_at": now, "updated_at": now,
                                          "schema_version": 1}
                                         for b, k in zip(ids, keys, strict=True)])
                conn.execute(insert(B), [{"bdoc_id": b, "data": json.dumps(dict(r), default=str)}
                                         for b, r in zip(ids, rows, strict=True)])
                conn.execute(insert(G), [_log(b, now, "", "I01") for b in ids])
                luws = [conn.execute(insert(L).returning(L.c.id), _luw(b, now)).scalar_one()
                        for b in ids]
                conn.execute(insert(BLOCKS), {"load_id": 1, "block_no": blocks,
                                              "objects": len(ids), "received_at": now})
                conn.execute(insert(LINKS), [{"bdoc_id": b, "load_id": 1, "block_no": blocks}
                                             for b in ids])
                conn.execute(insert(T), {"ARFCTID": tid, "ARFCSTATE": "EXECUTED",
                                         "ARFCQNAME": "R3AI_CUSTOMER_MAIN", "created_at": now,
                                         "executed_at": now})
            with erp_db.write() as conn:  # the unit confirmed: out of SMQ1
                conn.execute(delete(Q).where(Q.c.QCOUNT == qcount))
            with gw_db.write() as conn:  # the flows (MI0 -> F04)
                conn.execute(delete(L).where(L.c.id.in_(luws)))
                conn.execute(update(H).where(H.c.bdoc_id.in_(ids)).values(state="F04",
                                                                            updated_at=now))
                conn.execute(insert(G), [_log(b, now, "I01", "F04") for b in ids])
        return n / (time.perf_counter() - started)


def _log(bdoc_id: str, at: datetime, old: str, new: str) -> dict[str, object]:
    return {"bdoc_id": bdoc_id, "at": at, "service": "LOAD", "state_from": old,
            "state_to": new, "msg_type": "S", "msg_class": "SMW3", "msg_number": "001",
            "message": f"{old or '-'} -> {new}"}


def _luw(bdoc_id: str, at: datetime) -> dict[str, object]:
    return {"queue": "CSALOAD1", "direction": "in", "kind": "FLOW", "tid": bdoc_id[:24],
            "destination": "", "calls": "[]", "bdoc_id": bdoc_id, "site": "", "wait_for": "",
            "created_at": at}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--block-size", type=int, default=100)
    parser.add_argument("--db-dir", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sapgw-load-", dir=args.db_dir) as directory:
        rate = gateway_run(Path(directory), args.n, args.block_size)
        limit = limit_run(Path(directory), args.n, args.block_size)
    print(f"initial load of {args.n} customers, block size {args.block_size}: "
          f"{rate:.0f} customers/s; plain-script limit {limit:.0f} customers/s; "
          f"ratio {rate / limit:.2f}  (load {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
