"""Reset to the demo or a named state, snapshots and restore: SQLite and PostgreSQL alike."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from sapgw.erp_stub.fbas.tables import T001
from sapgw.erp_stub.kernel.buffer import TableBuffer
from sapgw.erp_stub.kernel.qout_tables import TRFCQSTATE
from sapgw.gateway.runtime import Gateway
from sapgw.snapshots import RestoreRefused, SnapshotError, UnknownSnapshot
from tests.isolation.conftest import read, run_funds
from tests.scenarios.conftest import fund_usage, trade_promotion


def test_reset_gives_the_demo_again_with_the_same_document_numbers(gateway: Gateway) -> None:
    first = run_funds(gateway)
    assert gateway.bdocs_list()["items"]
    result = gateway.reset()
    assert result["state"] == "demo" and result["erp"]["rows"] > 0
    assert gateway.bdocs_list()["items"] == []
    assert read(gateway, "BKPF", ["BELNR"]) == []
    assert read(gateway, "T001", ["BUKRS"], "BUKRS = '1000'")  # the demo's customizing
    # Number ranges start again: NRIV restored and the drawn-ahead numbers forgotten.
    assert run_funds(gateway) == first


def test_snapshot_and_restore_both_databases(gateway: Gateway) -> None:
    sent = gateway.send("CRM_MKTPL", trade_promotion()["data"])
    gateway.run_until_idle()
    saved = gateway.snapshot("promotion-done")
    assert saved["gateway"]["rows"] > 0 and saved["erp"]["rows"] > 0
    usage = gateway.send("CRM_FM_FU", fund_usage()["data"])
    gateway.run_until_idle()
    assert gateway.bdoc(usage["bdoc_id"])["state"] == "F04"

    restored = gateway.restore("promotion-done")
    assert restored["snapshot"] == "promotion-done"
    assert [b["bdoc_id"] for b in gateway.bdocs_list()["items"]] == [sent["bdoc_id"]]
    assert read(gateway, "PROJ", ["PSPID"])  # the promotion's project is still there
    assert read(gateway, "IAOM_ASSIGNMENTS", ["EXT_OBJECT_ID"]) == []  # the usage's is not
    assert [s["name"] for s in gateway.snapshots()] == ["promotion-done"]
    assert gateway.snapshots()[0]["erp"]["rows"] == saved["erp"]["rows"]
    # What was restored works on: the fund usage goes through again.
    again = gateway.send("CRM_FM_FU", fund_usage()["data"])
    gateway.run_until_idle()
    assert gateway.bdoc(again["bdoc_id"])["state"] == "F04"
    assert gateway.isolation.delete("promotion-done")
    assert gateway.snapshots() == []


def test_named_state_is_a_folder_of_data_set_files(gateway: Gateway, tmp_path: Path) -> None:
    state = tmp_path / "renamed"
    state.mkdir()
    (state / "fbas.toml").write_text('[company_codes.1000]\nname = "Reset AG"\n')
    assert gateway.reset(str(state))["state"] == str(state)
    assert read(gateway, "T001", ["BUTXT"], "BUKRS = '1000'") == [{"BUTXT": "Reset AG"}]
    gateway.reset()
    assert read(gateway, "T001", ["BUTXT"], "BUKRS = '1000'") == [{"BUTXT": "Demo AG"}]


def test_refused_while_a_gateway_worker_holds_a_lease(gateway: Gateway) -> None:
    gateway.send("CRM_MKTPL", trade_promotion()["data"])
    queue = gateway.queue_store.claim("in", "host-a:4711:worker", 60, {})
    assert queue
    gateway.snapshot("held")
    for attempt in (gateway.reset, lambda: gateway.restore("held")):
        with pytest.raises(RestoreRefused) as refused:
            attempt()
        message = str(refused.value)
        assert "worker host-a:4711:worker holds gateway queue " + queue in message
        assert "(inbound)" in message
    assert gateway.bdocs_list()["items"]  # nothing changed
    gateway.queue_store.release(queue, "in", "host-a:4711:worker")
    gateway.reset()
    assert gateway.bdocs_list()["items"] == []


def test_refused_while_an_erp_sender_holds_a_lease(gateway: Gateway) -> None:
    erp = gateway.local_erp()
    table = TRFCQSTATE.__table__
    now = gateway.clock.now()
    with erp.db.write() as conn:
        conn.execute(insert(table).values(
            QNAME="R3AD_CUSTOME0000001000", DEST="CRM", QSTATE="RUNNING", QLOCKED=False,
            QWAITING="", ERRMESS="", RETRIES=0, CLAIMEDBY="erp-host:99:qout",
            CLAIMEDTO=now + timedelta(seconds=60), UPDTIME=now))
    with pytest.raises(RestoreRefused) as refused:
        gateway.reset()
    assert ("worker erp-host:99:qout holds ERP queue R3AD_CUSTOME0000001000 (outbound)"
            in str(refused.value))
    gateway.clock.set(now + timedelta(seconds=61))  # the lease of a dead sender expires
    gateway.reset()
    assert read(gateway, "T001", ["BUKRS"], "BUKRS = '1000'")


def test_every_buffer_of_the_process_and_of_others_is_dropped(gateway: Gateway,
                                                              tmp_path: Path) -> None:
    erp = gateway.local_erp()
    twin = type(erp)(type(erp.db)(erp.db.url, erp.db.schema), erp.applications, erp.data,
                     gateway.clock)  # a second system object on the same database
    other_process = TableBuffer()  # stands for the buffer of another process
    dropped: list[str] = []
    other_process.on_sync.append(lambda: dropped.append("numbers"))
    for buffer, db in ((twin.buffer, twin.db), (other_process, erp.db)):
        with db.read() as conn:
            buffer.sync(conn)
            assert buffer.rows(conn, T001)[("1000",)].BUTXT == "Demo AG"
    state = tmp_path / "renamed"
    state.mkdir()
    (state / "fbas.toml").write_text('[company_codes.1000]\nname = "Other AG"\n')
    gateway.reset(str(state))
    assert twin.buffer.loaded(T001) is None
    with erp.db.read() as conn:
        other_process.sync(conn)
        assert other_process.loaded(T001) is None and dropped == ["numbers"]
        assert other_process.rows(conn, T001)[("1000",)].BUTXT == "Other AG"
    twin.db.dispose()


def test_names_and_unknown_snapshots_are_explained(gateway: Gateway) -> None:
    with pytest.raises(SnapshotError, match="not allowed"):
        gateway.snapshot("Bad Name")
    with pytest.raises(UnknownSnapshot, match="snapshot 'nothing' does not exist"):
        gateway.restore("nothing")
    with pytest.raises(UnknownSnapshot, match="unknown state 'nothing'"):
        gateway.reset("nothing")


def test_reset_by_a_snapshots_name_restores_it(gateway: Gateway) -> None:
    gateway.send("CRM_MKTPL", trade_promotion()["data"])
    gateway.run_until_idle()
    gateway.snapshot("with-promotion")
    gateway.reset()
    assert gateway.reset("with-promotion")["snapshot"] == "with-promotion"
    assert len(gateway.bdocs_list()["items"]) == 1


def test_a_reset_clears_the_injected_faults(gateway: Gateway) -> None:
    gateway.faults.add(kind="down", destination="ERP", count=5)
    gateway.snapshot("with-fault")
    gateway.faults.add(kind="exception", function="RFC_PING", exception="NOPE")
    assert len(gateway.faults.list()) == 2

    gateway.reset()
    assert gateway.faults.list() == []
    gateway.restore("with-fault")  # a restored state starts without injected faults too
    assert gateway.faults.list() == []
