"""FP_RAI_TRANSF on PostgreSQL: started twice at once, in two OS processes on one schema,
every transfer record is queued for RAR exactly once (the claim in the LUW's update task);
and the SQLite tests of the order, the superseded versions and CPICERR taken over by name."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from sapgw.clock import Clock
from sapgw.erp_stub import ErpSystem, create_system
from sapgw.erp_stub.kernel.qout_tables import TRFCQOUT
from tests.conftest import fresh_schema, require_postgres
from tests.erp_stub import test_fica_transfer
from tests.erp_stub.fica_support import (
    DEVICE,
    SERVICE,
    bit,
    bits,
    contract,
    contract_item,
    read,
    setup_partner,
)

pytestmark = pytest.mark.postgres
rar, vkont = test_fica_transfer.rar, test_fica_transfer.vkont
test_order = test_fica_transfer.test_the_transfer_sends_in_sap_order_one_unit_per_source_document
test_cpicerr = (
    test_fica_transfer.test_rar_unreachable_leaves_the_units_in_cpicerr_then_each_arrives_once)
test_event_8205 = (
    test_fica_transfer.test_an_event_8205_module_that_raises_stops_its_group_and_loses_nothing)
CONTRACTS = 10
RUN = """
import json, sys, time
from datetime import UTC, datetime
from pathlib import Path
from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.erp_stub import APPLICATIONS, ErpSystem
url, schema, folder, name = sys.argv[1:]
erp = ErpSystem(Database(url, schema), APPLICATIONS,  # tables made by the test
                clock=Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC)))
Path(folder, name + ".ready").touch()
while not Path(folder, "go").exists():
    time.sleep(0.005)
result = erp.connect().call("FKK_RAI_TRANSFER")
print(json.dumps({"log": result["ET_LOG"], "units": result["ET_UNITS"],
                  "return": result["RETURN"]}, default=str))
erp.db.dispose()
"""


@pytest.fixture
def erp(clock: Clock) -> Iterator[ErpSystem]:
    system = create_system(require_postgres(), fresh_schema(), clock=clock)
    try:
        yield system
    finally:
        system.db.drop_schema()
        system.db.dispose()


def test_two_runs_at_once_queue_every_record_once(tmp_path: Path) -> None:
    url, schema = require_postgres(), fresh_schema()
    erp = create_system(url, schema,
                        clock=Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC)))
    try:
        conn = erp.connect()
        gpart, vkont = setup_partner(conn)
        for number in range(1, CONTRACTS + 1):
            contract(conn, {"VTKEY": f"PC-{number}", "GPART": gpart},
                     [contract_item("10", vkont, **DEVICE), contract_item("20", vkont, **SERVICE)])
        bits(conn, bit("CALL-1", vkont, "0.13"), bit("FEE-1", vkont, "19.99", "ONCE", VTPOS="10"))

        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        runs = [subprocess.Popen([sys.executable, "-c", RUN, url, schema, str(tmp_path), name],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                 text=True) for name in ("A", "B")]
        deadline = time.monotonic() + 60
        while not all((tmp_path / f"{n}.ready").exists() for n in "AB"):
            assert time.monotonic() < deadline, [r.poll() for r in runs]
            time.sleep(0.01)
        (tmp_path / "go").touch()
        outputs = [run.communicate(timeout=60) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]

        answers = [json.loads(out) for out, _ in outputs]
        assert [r for a in answers for r in a["return"] if r["TYPE"] in ("E", "A")] == []
        with erp.db.read() as db:
            units = db.execute(select(TRFCQOUT.__table__)).mappings().all()  # type: ignore[attr-defined]
        queued = Counter(item["SRCDOC_ID"] for unit in units
                         for _, params in json.loads(unit["ARFCSDATA"])
                         for item in params["IT_MAIN_ITEMS"])
        records = read(conn, "DFKKRA_RAI_MI", ["SRCDOC_ID", "SENTTS"])
        assert len(records) == 2 * CONTRACTS + 2
        assert all(sent != "0" for _, sent in records)
        assert queued == Counter(source for source, _ in records)   # each exactly once
        assert sum(row["SENT"] for a in answers for row in a["log"]) == len(records)
        assert {unit["QNAME"] for unit in units} == {"FKKRAI_1000"}
    finally:
        erp.db.drop_schema()
        erp.db.dispose()
