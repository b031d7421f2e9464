"""Helpers for tests that run `sapgw worker` as real processes beside the test's own gateway.

The test process sends (a `Gateway` that never starts its schedulers); worker processes
read the same config file and do the work. Payload shapes are those of seed 004.
"""

from __future__ import annotations

import configparser
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from sapgw.gateway.config import Settings, load_settings
from sapgw.gateway.runtime import DEFAULT_CONFIG, Gateway
from sapgw.gateway.store.tables import BDocHeader, QrfcQueue

H = BDocHeader.__table__  # type: ignore[attr-defined]
Q = QrfcQueue.__table__  # type: ignore[attr-defined]
ORG = {"COMP_CODE": "1000", "SALES_ORG": "1000"}
FIRST_FU_ID = 1791


def write_config(path: Path, gateway_url: str, erp_url: str, schemas: tuple[str, str] | None
                 = None, **gateway: str) -> Settings:
    """config.ini of the repository with both databases (and [gateway] keys) replaced."""
    parser = configparser.ConfigParser(inline_comment_prefixes=(";", "#"), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEFAULT_CONFIG, encoding="utf-8")
    parser["gateway"]["db_url"] = gateway_url
    parser["erp"]["db_url"] = erp_url
    if schemas:
        parser["gateway"]["db_schema"], parser["erp"]["db_schema"] = schemas
    for key, value in gateway.items():
        parser["gateway"][key] = value
    with path.open("w", encoding="utf-8") as handle:
        parser.write(handle)
    return load_settings(path)


def start_worker(config: Path, log: Path) -> subprocess.Popen[bytes]:
    """`sapgw --config CONFIG worker` as a child process, its output in `log`."""
    env = {k: v for k, v in os.environ.items() if k not in ("SAPGW_DB_URL", "SAPGW_ERP_DB_URL")}
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "sapgw.gateway.cli", "--config",
                                 str(config), "worker"], stdout=out, stderr=subprocess.STDOUT,
                                env=env)


def stop_worker(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM,
                timeout: float = 30.0) -> int:
    process.send_signal(sig)
    return process.wait(timeout)


def trade_promotion(tpm_id: str = "TPMF") -> dict[str, Any]:
    dates = {"VALID_FROM": "2026-01-01", "VALID_TO": "2026-12-31"}
    return {"HEADER": {"TPM_ID": tpm_id, "DESCRIPTION": "Fault promotion", **ORG, **dates}}


def fund_usage(fu_id: str, tpm_id: str = "TPMF") -> dict[str, Any]:
    return {"HEADER": {"FU_ID": fu_id, "FUND_ID": "FUND1", "FUND_TYPE": "TPM", "TPM_ID": tpm_id,
                       "CURRENCY": "EUR", "EXPENSE_TYPE": "TPM1", "DESCRIPTION": "Usage",
                       **ORG}, "ITEMS": [{"ITEM_ID": "10", "AMOUNT": "1000000.00"}]}


def fund_posting(fpo_id: str, fu_id: str, amount: str = "1.00") -> dict[str, Any]:
    return {"HEADER": {"FPO_ID": fpo_id, "POSTING_TYPE": "ACCRUAL",
                       "POSTING_DATE": "2026-11-22", "FU_ID": fu_id, "FU_ITEM": "10",
                       "AMOUNT": amount, "CURRENCY": "EUR", "EXPENSE_TYPE": "TPM1",
                       "RUN_ID": "FAULT", "REVERSED_FPO_ID": "", **ORG}}


def send_fund_postings(gw: Gateway, n: int, usages: int, warm_up: bool = False) -> list[str]:
    """A trade promotion, `usages` fund usages, then N postings round-robin; the FPO ids.

    `warm_up`: work the setup and the first posting in this process before sending the rest,
    so that the ERP's number range intervals (NRIV rows) exist before workers run in
    parallel: the first draw of an interval by two processes at once races (see
    docs/STATUS.md, known limits).
    """
    gw.send("CRM_MKTPL", trade_promotion())
    fu_ids = [str(FIRST_FU_ID + u) for u in range(usages)]
    for fu_id in fu_ids:
        gw.send("CRM_FM_FU", fund_usage(fu_id))
    fpo_ids = [f"F{i + 1:07d}" for i in range(n)]
    for i, fpo_id in enumerate(fpo_ids):
        gw.send("CRM_FM_FPO", fund_posting(fpo_id, fu_ids[i % usages]))
        if warm_up and i == 0:
            gw.run_until_idle()
    return fpo_ids


def states(gw: Gateway) -> dict[str, int]:
    with gw.db.read() as conn:
        return {str(s): int(n) for s, n in conn.execute(
            select(H.c.state, func.count()).group_by(H.c.state))}


def queue_rows(gw: Gateway) -> list[dict[str, Any]]:
    with gw.db.read() as conn:
        return [dict(r._mapping) for r in conn.execute(select(Q))]


def wait_for(condition: Callable[[], bool], timeout: float, what: str,
             processes: tuple[subprocess.Popen[bytes], ...] = ()) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        for process in processes:
            assert process.poll() is None, f"worker {process.pid} exited {process.returncode}"
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}"
        time.sleep(0.1)


def all_final(gw: Gateway, total: int) -> Callable[[], bool]:
    return lambda: states(gw).get("F04", 0) == total
