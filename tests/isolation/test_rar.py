"""Reset, snapshots and restore cover the Revenue Accounting system (destination RAR, a
database of its own) as they cover the ERP: no stale revenue contracts after a reset.

The first three run on SQLite and PostgreSQL (`gateway`); the others, which test the code
both share, on SQLite only (the plugin's `sapgw`): a reset on PostgreSQL seeds fresh templates,
some seconds each."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, text

from sapgw.erp_stub.kernel.qout_tables import TRFCQSTATE
from sapgw.gateway.runtime import Gateway
from sapgw.snapshots import RestoreRefused, UnknownSnapshot
from tests.erp_stub.rar_support import order_item, process, send


def rar_rows(gw: Gateway, table: str, field: str, where: str = "") -> list[str]:
    """RFC_READ_TABLE through destination RAR: one field's values."""
    conn = gw.destination("RAR")
    try:
        result = conn.call("RFC_READ_TABLE", QUERY_TABLE=table, FIELDS=[{"FIELDNAME": field}],
                           OPTIONS=[{"TEXT": where}] if where else [])
    finally:
        conn.close()
    return [row["WA"].strip() for row in result["DATA"]]


def receive(gw: Gateway, *idents: str) -> list[str]:
    """Order items as FI-CA sends them, processed into revenue contracts; the contracts."""
    conn = gw.destination("RAR")
    try:
        returned = send(conn, "CA01", [order_item(i, "120.00", refid=i, header=i)
                                       for i in idents])
        assert not [r for r in returned if r["TYPE"] in "EA"], returned
        process(conn)
    finally:
        conn.close()
    return rar_rows(gw, "FARR_D_CONTRACT", "CONTRACT_ID")


def test_reset_after_rar_received_items_leaves_rar_with_the_demo(gateway: Gateway) -> None:
    first = receive(gateway, "C1/000001")
    assert first and rar_rows(gateway, "FARR_D_RAI_MI", "SRCDOC_ID") == ["C1/000001"]
    result = gateway.reset()
    assert result["RAR"]["rows"] > 0 and result["erp"]["rows"] > 0
    assert rar_rows(gateway, "FARR_D_RAI_MI", "SRCDOC_ID") == []
    assert rar_rows(gateway, "FARR_D_CONTRACT", "CONTRACT_ID") == []
    assert rar_rows(gateway, "FARR_C_COMPANY", "COMPANY_CODE") == ["1000"]  # customizing
    # RAR's number ranges start again, its number buffer forgotten: the same contract ID.
    assert receive(gateway, "C1/000001") == first


def test_snapshot_change_restore_brings_rar_back(gateway: Gateway) -> None:
    kept = receive(gateway, "C1/000001")
    saved = gateway.snapshot("one-contract")
    assert saved["RAR"]["label"] == "rar" and saved["RAR"]["rows"] > 0
    assert saved["erp"]["label"] == "erp"
    assert len(receive(gateway, "C2/000001")) == 2

    restored = gateway.restore("one-contract")
    assert restored["RAR"]["rows"] > 0
    assert rar_rows(gateway, "FARR_D_CONTRACT", "CONTRACT_ID") == kept
    assert rar_rows(gateway, "FARR_D_RAI_MI", "SRCDOC_ID") == ["C1/000001"]
    listed = gateway.snapshots()
    assert [s["name"] for s in listed] == ["one-contract"]
    assert listed[0]["RAR"]["rows"] == saved["RAR"]["rows"]
    # Restored RAR works on, its numbers behind the restored rows.
    again = receive(gateway, "C2/000001")
    assert len(again) == 2 and len(set(again)) == 2
    assert gateway.isolation.delete("one-contract")
    assert gateway.snapshots() == []


def test_each_systems_snapshot_is_kept_apart(gateway: Gateway) -> None:
    """SQLite: <dir>/<name>/rar.db beside erp.db; PostgreSQL: a schema beside RAR's own."""
    gateway.snapshot("apart")
    rar = gateway.destinations.local_system("RAR")
    erp = gateway.local_erp()
    if rar.db.is_sqlite:
        folder = gateway.isolation.directory / "apart"
        assert sorted(p.name for p in folder.glob("*.db")) == ["erp.db", "gateway.db",
                                                               "rar.db"]
    else:
        schemas = {f"{rar.db.schema}_snap_apart", f"{erp.db.schema}_snap_apart"}
        assert len(schemas) == 2
        with rar.db.engine.connect() as conn:
            found = {row[0] for row in conn.execute(text(
                "SELECT schema_name FROM information_schema.schemata"))}
        assert schemas <= found
    assert gateway.isolation.delete("apart")


def test_a_snapshot_without_rars_part_is_not_restored(sapgw: Gateway) -> None:
    receive(sapgw, "C1/000001")
    sapgw.snapshot("partial")
    assert sapgw.destinations.local_system("RAR").isolation.delete(
        "partial", sapgw.isolation.directory)
    with pytest.raises(UnknownSnapshot, match="missing for: RAR"):
        sapgw.restore("partial")
    assert rar_rows(sapgw, "FARR_D_RAI_MI", "SRCDOC_ID") == ["C1/000001"]  # untouched
    assert sapgw.snapshots()[0]["RAR"] is None


def test_refused_while_a_rar_sender_holds_a_lease(sapgw: Gateway) -> None:
    receive(sapgw, "C1/000001")
    sapgw.snapshot("held")
    rar = sapgw.destinations.local_system("RAR")
    now = sapgw.clock.now()
    with rar.db.write() as conn:
        conn.execute(insert(TRFCQSTATE.__table__).values(
            QNAME="FARR_OUT_1", DEST="ERP", QSTATE="RUNNING", QLOCKED=False, QWAITING="",
            ERRMESS="", RETRIES=0, CLAIMEDBY="rar-host:7:qout",
            CLAIMEDTO=now + timedelta(seconds=60), UPDTIME=now))
    for attempt in (sapgw.reset, lambda: sapgw.restore("held")):
        with pytest.raises(RestoreRefused, match="worker rar-host:7:qout holds RAR queue "
                                                 "FARR_OUT_1"):
            attempt()
    assert rar_rows(sapgw, "FARR_D_RAI_MI", "SRCDOC_ID") == ["C1/000001"]  # nothing changed
    sapgw.clock.set(now + timedelta(seconds=61))  # a dead sender's lease expires
    sapgw.reset()
    assert rar_rows(sapgw, "FARR_D_RAI_MI", "SRCDOC_ID") == []


def test_a_named_state_holds_rars_data_set_too(sapgw: Gateway, tmp_path: Path) -> None:
    state = tmp_path / "ifrs-us"
    state.mkdir()
    (state / "farr.toml").write_text(
        '[farr_company_codes.1000]\naccounting_principle = "USGA"\n')
    (state / "fbas.toml").write_text('[company_codes.1000]\nname = "Reset AG"\n')
    result: dict[str, Any] = sapgw.reset(str(state))
    assert result["RAR"]["rows"] > 0
    assert rar_rows(sapgw, "FARR_C_COMPANY", "ACCT_PRINCIPLE") == ["USGA"]
    sapgw.reset()
    assert rar_rows(sapgw, "FARR_C_COMPANY", "ACCT_PRINCIPLE") == ["IFRS"]
