"""An initial load SIGKILLed in the middle goes on where it was when started again: nothing
lost, nothing twice (counted, and by distinct keys), in the ERP and in CRM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from sapgw.erp_stub.masterdata.crm_load import CRMLOADST
from sapgw.gateway.cli import main
from sapgw.gateway.loads.store import BLOCKS
from sapgw.gateway.runtime import Gateway
from sapgw.gateway.store.tables import BDocHeader
from tests.loads.customers import FIRST, insert_customers
from tests.stores.processes import write_config

H = BDocHeader.__table__  # type: ignore[attr-defined]
N, BLOCK = 2000, 20
ARGS = ["load", "start", "CUSTOMER_MAIN", "--block-size", str(BLOCK), "--filter",
        f"KUNNR={FIRST}..{FIRST + N - 1}"]


def received_blocks(gw: Gateway) -> int:
    with gw.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(BLOCKS)).scalar_one())


def test_a_killed_load_resumes_without_loss_or_doubles(tmp_path: Path) -> None:
    config = tmp_path / "config.ini"
    settings = write_config(config, f"sqlite:///{tmp_path / 'gateway.db'}",
                            f"sqlite:///{tmp_path / 'erp.db'}", lease_seconds="1",
                            poll_interval="0.2")
    with Gateway(settings) as gw:
        insert_customers(gw.local_erp(), N)
        env = {k: v for k, v in os.environ.items()
               if k not in ("SAPGW_DB_URL", "SAPGW_ERP_DB_URL")}
        child = subprocess.Popen([sys.executable, "-m", "sapgw.gateway.cli", "--config",
                                  str(config), *ARGS], env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while received_blocks(gw) < 10 and child.poll() is None:
            assert time.monotonic() < deadline, "the load did not start"
            time.sleep(0.02)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        at_kill = received_blocks(gw)
        assert 10 <= at_kill < N // BLOCK  # killed in the middle
        time.sleep(1.2)  # the killed process's queue leases expire

        assert main(["--config", str(config), *ARGS]) == 0

        with gw.db.read() as conn:
            rows = conn.execute(select(H.c.object_key, H.c.state).where(
                H.c.bdoc_type == "BUPA_MAIN")).all()
        assert len(rows) == N
        assert len({r.object_key for r in rows}) == N
        assert {r.state for r in rows} == {"F04"}
        with gw.local_erp().db.read() as conn:
            state = conn.execute(select(CRMLOADST.__table__)).mappings().one()  # type: ignore[attr-defined]
        assert (state["BLOCKS"], state["OBJECTS"], state["DONE"]) == (N // BLOCK, N, "X")
        [load] = gw.loads.monitor()  # the same load went on; no second one
        assert (load["status"], load["blocks_sent"], load["blocks_processed"],
                load["objects_received"]) == ("DONE", N // BLOCK, N // BLOCK, N)
