"""Logistics and partner customizing in SAP's tables (issue 9 §2): readable with RFC_READ_TABLE,
seeded from the data set, read through the table buffer (a change in another process is
seen), the demo partners real master records, OBYC errors named (M8 147)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sapgw.clock import Clock
from sapgw.erp_stub import ErpSystem, create_system
from sapgw.erp_stub.fi.tables import BSEG
from sapgw.erp_stub.kernel.buffer import write_ddlog
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.erp_stub.kernel.tables import erp_tables
from sapgw.erp_stub.masterdata.tables import KNA1
from tests.erp_stub.test_fi_master_data import errors, invoice, vendor_invoice
from tests.erp_stub.test_fi_post import codes, post, rows
from tests.erp_stub.test_goods_movements import errors_of, item, movement
from tests.erp_stub.test_master_data import debmas

# Table -> (fields, WHERE, expected lines "a|b|…")
EXPECTED: dict[str, tuple[list[str], str, list[str]]] = {
    "TVKO": (["VKORG", "BUKRS", "WAERS"], "", ["1000|1000|EUR"]),
    "TVKOT": (["VKORG", "VTEXT"], "", ["1000|Sales Org. Germany"]),
    "TVTA": (["VKORG", "VTWEG", "SPART"], "", ["1000|10|00", "1000|12|00"]),
    "T024E": (["EKORG", "BUKRS", "EKOTX"], "", ["1000|1000|Purch. Org. Germany"]),
    "T077D": (["KTOKD", "NUMKR"], "", ["0001|01", "0002|02"]),
    "T077K": (["KTOKK", "NUMKR"], "", ["0001|01", "0002|02"]),
    "T077X": (["KTOKD", "TXT30"], "KTOKD = '0002'",
              ["0002|Customer, number from the send"]),
    "T001W": (["WERKS", "NAME1", "BWKEY"], "", ["1000|Werk Hamburg|1000"]),
    "T001K": (["BWKEY", "BUKRS", "BWMOD"], "", ["1000|1000|"]),
    "T001L": (["WERKS", "LGORT", "LGOBE"], "",
              ["1000|0001|Materials store", "1000|0002|Shipping", "1000|0003|Production"]),
    "T156": (["BWART", "SHKZG", "XUMLG", "KTOSL", "KOMOK", "REQFIELDS"],
             "BWART IN ('201', '311', '101')",
             ["101|S||WRX||", "201|H||GBB|VBR|COSTCENTER/PROFIT_SEGM_NO", "311|H|X|||MOVE_STLOC"]),
    "T156T": (["BWART", "BTEXT"], "BWART = '261'", ["261|GI for order"]),
    "T158G": (["GMCODE", "TCODE"], "GMCODE <= '03'", ["01|MB01", "02|MB31", "03|MB1A"]),
    "T158": (["TCODE", "VGART", "NUMKR", "REQFIELDS"], "TCODE = 'MB01'",
             ["MB01|WE|02|PO_NUMBER"]),
    "T158B": (["TCODE", "BWART"], "TCODE = 'MB1A'", ["MB1A|201", "MB1A|261"]),
    "T030": (["KTOPL", "KTOSL", "KOMOK", "KONTS"], "KTOSL IN ('BSX', 'GBB')",
             ["INT|BSX||0000300000", "INT|GBB|BSA|0000799999", "INT|GBB|VAX|0000500000",
              "INT|GBB|VAY|0000500100", "INT|GBB|VBR|0000400000", "INT|GBB|ZOB|0000280000"]),
    "T006": (["MSEHI", "DIMID", "ANDEC", "ISOCODE"], "",
             ["H|TIME|3|HUR", "KG|MASS|3|KGM", "L|VOLUME|3|LTR", "PC|AAAADL|0|PCE"]),
    "T006A": (["MSEHI", "MSEHL"], "MSEHI = 'PC'", ["PC|Piece"]),
    "KNA1": (["KUNNR", "KTOKD", "NAME1", "ORT01", "LAND1"], "KUNNR = '0000001000'",
             ["0000001000|0001|Becker Berlin|Berlin|DE"]),
    "KNB1": (["KUNNR", "BUKRS", "AKONT"], "KUNNR = '0000001000'",
             ["0000001000|1000|0000140000"]),
    "LFA1": (["LIFNR", "KTOKK", "NAME1"], "", ["0000002000|0001|C.E.B. Berlin"]),
    "LFB1": (["LIFNR", "BUKRS", "AKONT"], "", ["0000002000|1000|0000160000"]),
    "MARA": (["MATNR", "MTART", "MEINS"], "MATNR = 'FG-3000'", ["FG-3000|FERT|PC"]),
    "MBEW": (["MATNR", "BWKEY", "VPRSV", "STPRS", "PEINH"], "MATNR LIKE '0000%'",
             ["000000000000004711|1000|S|9.99|10"]),
}


def read(conn: LocalConnection, table: str, fields: list[str], where: str = "") -> list[str]:
    result = conn.call("RFC_READ_TABLE", QUERY_TABLE=table, DELIMITER="|",
                       FIELDS=[{"FIELDNAME": name} for name in fields],
                       OPTIONS=[{"TEXT": where}] if where else [])
    return ["|".join(value.strip() for value in row["WA"].split("|"))
            for row in result["DATA"]]


@pytest.mark.parametrize("table", sorted(EXPECTED))
def test_rfc_read_table_answers_on_the_customizing_and_master_data(
        conn: LocalConnection, table: str) -> None:
    fields, where, expected = EXPECTED[table]
    assert read(conn, table, fields, where) == expected


def test_customizing_tables_are_buffered(erp: ErpSystem) -> None:
    tables = erp_tables()
    for name in ("TVKO", "TVTA", "T024E", "T077D", "T077K", "T001W", "T001K", "T001L",
                 "T156", "T158G", "T158", "T158B", "T030", "T006"):
        assert tables[name].info.get("buffered"), name
    assert not tables["KNA1"].info.get("buffered")  # master data is read from the database


def test_demo_partners_are_master_records_fi_posts_to(erp: ErpSystem,
                                                      conn: LocalConnection) -> None:
    assert codes(post(conn, vendor_invoice("2000"))["RETURN"]) == [("S", "RW", "605")]
    assert rows(erp, BSEG)[1]["HKONT"] == "0000160000"
    # a DEBMAS flags the demo customer's company code data for deletion: FI refuses it
    flagged = debmas(conn, ("E1KNB1M", {"MSGFN": "003", "BUKRS": "1000"}), MSGFN="004",
                     KUNNR="0000001000", NAME1="", KTOKD="", LAND1="")
    assert codes(flagged["RETURN"]) == [("S", "F2", "902")]
    assert errors(conn.call("BAPI_ACC_DOCUMENT_CHECK", **invoice("1000"))) == [
        ("F5", "707", "ACCOUNTRECEIVABLE", 1, "CUSTOMER")]


def sqlite_file(tmp_path: Path, clock: Clock, data: Path | None = None) -> ErpSystem:
    return create_system(f"sqlite:///{tmp_path / 'erp.db'}", clock=clock, customizing_dir=data)


def test_a_sales_area_maintained_in_tvta_by_another_process(tmp_path: Path,
                                                            clock: Clock) -> None:
    first, second = sqlite_file(tmp_path, clock), sqlite_file(tmp_path, clock)
    try:
        conn = first.connect()
        area = ("E1KNVVM", {"VKORG": "1000", "VTWEG": "20", "SPART": "00", "WAERS": "EUR"})
        refused = debmas(conn, area)
        assert [m["NUMBER"] for m in refused["RETURN"]] == ["913"]  # TVTA is buffered now

        assert second.seed_rows(erp_tables()["TVTA"],
                                [{"VKORG": "1000", "VTWEG": "20", "SPART": "00"}]) == 1

        created = debmas(conn, area, docnum="2")
        assert codes(created["RETURN"]) == [("S", "F2", "901")]
        assert read(conn, "KNVV", ["KUNNR", "VKORG", "VTWEG", "SPART"]) == [
            "0000100000|1000|20|00"]
    finally:
        first.db.dispose()
        second.db.dispose()


def test_restart_seeds_missing_rows_and_keeps_maintained_ones(tmp_path: Path,
                                                              clock: Clock) -> None:
    erp = sqlite_file(tmp_path, clock)
    conn = erp.connect()
    debmas(conn, MSGFN="004", KUNNR="0000001000", NAME1="Becker Berlin-Mitte", KTOKD="")
    with erp.db.write() as db:  # a database of a release without plants
        db.execute(erp_tables()["T001W"].delete())
    erp.db.dispose()

    again = sqlite_file(tmp_path, clock)
    try:
        conn = again.connect()
        assert read(conn, "T001W", ["WERKS"]) == ["1000"]
        assert read(conn, "KNA1", ["NAME1"], "KUNNR = '0000001000'") == ["Becker Berlin-Mitte"]
    finally:
        again.db.dispose()


def test_data_set_override_adds_a_plant(tmp_path: Path, clock: Clock) -> None:
    data = tmp_path / "custo"
    data.mkdir()
    (data / "plants.toml").write_text(
        '[plants.2000]\nname = "Werk Bremen"\ncompany_code = "1000"\n'
        'storage_locations = { "0001" = "Materials store" }\n'
        '[materials.SP-2000]\nplants = ["1000", "2000"]\n', encoding="utf-8")
    erp = sqlite_file(tmp_path, clock, data)
    try:
        conn = erp.connect()
        result = movement(conn, "05", {**item("561", "3"), "PLANT": "2000"})
        assert result["RETURN"] == [] and result["MATERIALDOCUMENT"]
        assert read(conn, "MSEG", ["WERKS", "BUKRS", "DMBTR"]) == ["2000|1000|36.00"]
    finally:
        erp.db.dispose()


def test_missing_account_determination_is_named(erp: ErpSystem, conn: LocalConnection) -> None:
    table = erp_tables()["T030"]
    with erp.db.write() as db:  # as SM30 would: the change and its DDLOG row together
        db.execute(table.delete().where(table.c.KTOSL == "GBB", table.c.KOMOK == "ZOB"))
        write_ddlog(db, ["T030"], erp.clock.now())
    movement(conn, "05", item("561", "5"))

    result: dict[str, Any] = movement(conn, "05", item("501", "1"), item("561", "1"),
                                      item("501", "2"))

    assert result["MATERIALDOCUMENT"] == ""
    assert errors_of(result) == [("M8", "147", 1, "MOVE_TYPE"), ("M8", "147", 3, "MOVE_TYPE")]
    assert result["RETURN"][0]["MESSAGE"] == (
        "Account determination for entry INT GBB ZOB not possible")
    assert [r["KUNNR"] for r in rows(erp, KNA1)] == sorted(erp.data.table("customers"))
