"""IDOC_INPUT_DEBITOR / IDOC_INPUT_CREDITOR: customers and vendors from DEBMAS/CREMAS IDocs.

Create (009/005), change (004), deletion flag (003), numbers from the account group's interval
(internal) or from the IDoc (external), every error with its segment, commit and rollback.
"""

from __future__ import annotations

from typing import Any

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.basis.ale import pack_sdata
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.erp_stub.masterdata.tables import KNA1, KNB1, KNVV, LFA1, LFB1, LFM1
from sapgw.rfc.errors import ABAPApplicationError, ABAPRuntimeError
from sapgw.types import RfcCall
from tests.erp_stub.test_fi_post import codes
from tests.erp_stub.test_fi_post import rows as all_rows

Segments = list[tuple[str, dict[str, str]]]
GENERAL = {"MSGFN": "009", "KTOKD": "0001", "NAME1": "Becker Köln", "LAND1": "DE",
           "ORT01": "Köln", "PSTLZ": "50667", "STRAS": "Domplatz 1", "SPRAS": "D"}
COMPANY = ("E1KNB1M", {"BUKRS": "1000", "AKONT": "140000", "ZTERM": "0001"})
SALES = ("E1KNVVM", {"VKORG": "1000", "VTWEG": "10", "SPART": "00", "WAERS": "EUR"})


def rows(erp: ErpSystem, model: Any) -> list[dict[str, Any]]:
    """The table's rows apart from the data set's demo partners (seeded into KNA1/KNB1 and
    LFA1/LFB1 with the tables): the ones the IDocs made."""
    number = model.__table__.primary_key.columns.values()[0].name
    demo = {*erp.data.table("customers"), *erp.data.table("vendors")}
    return [row for row in all_rows(erp, model) if row[number] not in demo]


def ale(docnum: str, segments: Segments, idoctyp: str = "DEBMAS07",
        mestyp: str = "DEBMAS") -> dict[str, Any]:
    """IDOC_CONTRL/IDOC_DATA of one IDoc: children hang under the first segment."""
    data = [{"SEGNAM": name, "DOCNUM": docnum, "SEGNUM": f"{number:06d}",
             "PSGNUM": "000000" if number == 1 else "000001",
             "HLEVEL": "01" if number == 1 else "02",
             "SDATA": pack_sdata(idoctyp, name, fields)}
            for number, (name, fields) in enumerate(segments, start=1)]
    return {"IDOC_CONTRL": [{"DOCNUM": docnum, "IDOCTP": idoctyp, "MESTYP": mestyp,
                             "DIRECT": "2", "SNDPRT": "LS", "SNDPRN": "EXTCLNT100"}],
            "IDOC_DATA": data}


def debmas(conn: LocalConnection, *children: tuple[str, dict[str, str]], commit: bool = True,
           docnum: str = "1", **general: str) -> dict[str, Any]:
    result = conn.call("IDOC_INPUT_DEBITOR",
                       **ale(docnum, [("E1KNA1M", {**GENERAL, **general}), *children]))
    if commit:
        conn.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
    return result


def cremas(conn: LocalConnection, segments: Segments) -> dict[str, Any]:
    result = conn.call("IDOC_INPUT_CREDITOR", **ale("7", segments, "CREMAS05", "CREMAS"))
    conn.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
    return result


def errors_of(result: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(m["ID"], m["NUMBER"], m["FIELD"]) for m in result["RETURN"] if m["TYPE"] == "E"}


def test_customer_is_created_at_commit_with_an_internal_number(erp: ErpSystem,
                                                               conn: LocalConnection) -> None:
    result = debmas(conn, COMPANY, SALES, commit=False)

    assert rows(erp, KNA1) == []
    assert codes(result["RETURN"]) == [("S", "F2", "901")]
    assert result["RETURN"][0]["MESSAGE"] == "Customer 0000100000 has been created"
    assert result["WORKFLOW_RESULT"] == "0"
    [status] = result["IDOC_STATUS"]
    assert (status["DOCNUM"], status["STATUS"], status["MSGID"], status["MSGNO"],
            status["MSGV2"]) == ("0000000000000001", "53", "F2", "901", "0000100000")
    assert result["RETURN_VARIABLES"] == [{"WF_PARAM": "Processed_IDOCs",
                                           "DOC_NUMBER": "0000000000000001"}]
    conn.call("BAPI_TRANSACTION_COMMIT")

    [kna1] = rows(erp, KNA1)
    assert (kna1["KUNNR"], kna1["KTOKD"], kna1["NAME1"], kna1["ORT01"], kna1["STRAS"],
            kna1["ERDAT"], kna1["LOEVM"]) == (
        "0000100000", "0001", "Becker Köln", "Köln", "Domplatz 1", "20261122", "")
    [knb1] = rows(erp, KNB1)
    assert (knb1["BUKRS"], knb1["AKONT"], knb1["ZTERM"]) == ("1000", "0000140000", "0001")
    [knvv] = rows(erp, KNVV)
    assert (knvv["VKORG"], knvv["VTWEG"], knvv["SPART"], knvv["WAERS"]) == (
        "1000", "10", "00", "EUR")
    assert debmas(conn, NAME1="Second")["RETURN"][0]["MESSAGE_V2"] == "0000100001"


def test_external_number_is_kept_and_checked_against_the_interval(
        erp: ErpSystem, conn: LocalConnection) -> None:
    kept = debmas(conn, KTOKD="0002", KUNNR="900042")
    missing = debmas(conn, KTOKD="0002", docnum="2")
    outside = debmas(conn, KTOKD="0002", KUNNR="0000100000", docnum="3")
    internal = debmas(conn, KTOKD="0001", KUNNR="0000900043", docnum="4")

    assert kept["RETURN"][0]["MESSAGE_V2"] == "0000900042"
    assert errors_of(missing) == {("F2", "908", "KUNNR")}
    assert errors_of(outside) == {("F2", "909", "KUNNR")}
    assert outside["RETURN"][0]["MESSAGE"] == ("Number 0000100000 is not in the external "
                                               "interval 0000900000-0000999999 of account "
                                               "group 0002")
    assert errors_of(internal) == {("F2", "907", "KUNNR")}
    assert [r["KUNNR"] for r in rows(erp, KNA1)] == ["0000900042"]


def test_change_takes_filled_fields_replace_takes_all(erp: ErpSystem,
                                                      conn: LocalConnection) -> None:
    debmas(conn, COMPANY)
    changed = debmas(conn, ("E1KNB1M", {"MSGFN": "004", "BUKRS": "1000", "ZTERM": "0002"}),
                     MSGFN="004", KUNNR="100000", KTOKD="", NAME1="", ORT01="Bonn",
                     STRAS="")

    assert codes(changed["RETURN"]) == [("S", "F2", "902")]
    [kna1] = rows(erp, KNA1)
    assert (kna1["NAME1"], kna1["ORT01"], kna1["STRAS"]) == ("Becker Köln", "Bonn",
                                                             "Domplatz 1")
    assert [(r["AKONT"], r["ZTERM"]) for r in rows(erp, KNB1)] == [("0000140000", "0002")]

    debmas(conn, MSGFN="005", KUNNR="0000100000", KTOKD="", STRAS="", ORT01="Bonn")
    [kna1] = rows(erp, KNA1)
    assert (kna1["NAME1"], kna1["ORT01"], kna1["STRAS"]) == ("Becker Köln", "Bonn", "")
    assert kna1["KTOKD"] == "0001"  # the account group stays


def test_msgfn_003_sets_the_deletion_flag_of_its_level(erp: ErpSystem,
                                                       conn: LocalConnection) -> None:
    debmas(conn, COMPANY, SALES)
    only_sales = debmas(conn, ("E1KNVVM", {**SALES[1], "MSGFN": "003"}), MSGFN="004",
                        KUNNR="100000", NAME1="")
    assert codes(only_sales["RETURN"]) == [("S", "F2", "902")]
    assert [r["LOEVM"] for r in rows(erp, KNVV)] == ["X"]
    assert [r["LOEVM"] for r in rows(erp, KNA1) + rows(erp, KNB1)] == ["", ""]

    everything = debmas(conn, COMPANY, MSGFN="003", KUNNR="100000")
    assert codes(everything["RETURN"]) == [("S", "F2", "903")]
    assert everything["RETURN"][0]["MESSAGE"] == "Customer 0000100000 has been flagged for deletion"
    assert [r["LOEVM"] for r in rows(erp, KNA1) + rows(erp, KNB1)] == ["X", "X"]


def test_every_error_is_reported_with_its_segment(erp: ErpSystem,
                                                  conn: LocalConnection) -> None:
    result = debmas(conn, ("E1KNB1M", {"BUKRS": "2000", "AKONT": "140000"}),
                    ("E1KNB1M", {"BUKRS": "1000"}),
                    ("E1KNB1M", {"BUKRS": "1000", "AKONT": "800000"}),
                    ("E1KNVVM", {**SALES[1], "VTWEG": "99"}),
                    ("E1KNVVM", {**SALES[1], "WAERS": "XYZ"}),
                    ("E1KNVVM", {"VKORG": "1000", "VTWEG": "10"}),
                    NAME1="", docnum="5")

    assert [(m["ID"], m["NUMBER"], m["ROW"], m["FIELD"]) for m in result["RETURN"]] == [
        ("F2", "906", 1, "NAME1"), ("F5", "165", 2, "BUKRS"), ("F2", "911", 3, "AKONT"),
        ("F2", "912", 4, "AKONT"), ("F2", "913", 5, "VKORG"), ("F2", "915", 6, "WAERS"),
        ("F2", "906", 7, "SPART"), ("F2", "920", 4, "")]
    assert {m["PARAMETER"] for m in result["RETURN"]} == {"IDOC_DATA"}
    assert result["WORKFLOW_RESULT"] == "99999"
    assert {s["STATUS"] for s in result["IDOC_STATUS"]} == {"51"}
    assert [s["SEGNUM"] for s in result["IDOC_STATUS"]][:2] == ["000001", "000002"]
    assert result["RETURN_VARIABLES"][0]["WF_PARAM"] == "Error_IDOCs"
    assert rows(erp, KNA1) == [] and rows(erp, KNB1) == []
    # a refused IDoc draws no number
    assert debmas(conn)["RETURN"][0]["MESSAGE_V2"] == "0000100000"


@pytest.mark.parametrize(("general", "children", "expected"), [
    ({"KTOKD": "ZZZZ"}, [], ("F2", "905", "KTOKD")),
    ({"KTOKD": ""}, [], ("F2", "906", "KTOKD")),
    ({"MSGFN": "023"}, [], ("F2", "910", "MSGFN")),
    ({"MSGFN": "004", "KUNNR": "0000123456"}, [], ("F2", "904", "KUNNR")),
    ({"MSGFN": "003", "KUNNR": "0000123456"}, [], ("F2", "904", "KUNNR")),
])
def test_refused_general_data(conn: LocalConnection, general: dict[str, str],
                              children: Segments, expected: tuple[str, str, str]) -> None:
    assert errors_of(debmas(conn, *children, **general)) == {expected}


def test_change_of_a_company_code_the_customer_lacks(conn: LocalConnection) -> None:
    debmas(conn)
    result = debmas(conn, ("E1KNB1M", {"MSGFN": "004", "BUKRS": "1000", "ZTERM": "0002"}),
                    MSGFN="004", KUNNR="100000")
    assert errors_of(result) == {("F5", "102", "BUKRS")}
    assert result["RETURN"][0]["MESSAGE"] == ("Customer 0000100000 is not defined in company "
                                              "code 1000")


def test_rollback_forgets_the_customer(erp: ErpSystem, conn: LocalConnection) -> None:
    debmas(conn, COMPANY, commit=False)
    conn.call("BAPI_TRANSACTION_ROLLBACK")
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert rows(erp, KNA1) == [] and rows(erp, KNB1) == []


def test_idoc_without_general_segment_or_of_an_unknown_type(conn: LocalConnection) -> None:
    params = ale("8", [("E1KNA1M", GENERAL)])
    params["IDOC_DATA"][0]["SEGNAM"] = "E1KNVVM"
    params["IDOC_DATA"][0]["SDATA"] = pack_sdata("DEBMAS07", *SALES)
    assert errors_of(conn.call("IDOC_INPUT_DEBITOR", **params)) == {("F2", "916", "")}
    params["IDOC_CONTRL"][0]["IDOCTP"] = "ZDEBMAS99"
    assert errors_of(conn.call("IDOC_INPUT_DEBITOR", **params)) == {("F2", "917", "")}


def test_a_packet_posts_its_good_idocs_only(erp: ErpSystem, conn: LocalConnection) -> None:
    good = ale("11", [("E1KNA1M", GENERAL)])
    bad = ale("12", [("E1KNA1M", {**GENERAL, "NAME1": ""})])
    result = conn.call("IDOC_INPUT_DEBITOR", MASS_PROCESSING="X",
                       IDOC_CONTRL=good["IDOC_CONTRL"] + bad["IDOC_CONTRL"],
                       IDOC_DATA=good["IDOC_DATA"] + bad["IDOC_DATA"])
    conn.call("BAPI_TRANSACTION_COMMIT")

    assert [(s["DOCNUM"][-2:], s["STATUS"]) for s in result["IDOC_STATUS"]] == [
        ("11", "53"), ("12", "51")]
    assert result["WORKFLOW_RESULT"] == "99999"
    assert [r["KUNNR"] for r in rows(erp, KNA1)] == ["0000100000"]


def test_in_a_trfc_unit_an_error_fails_the_unit(erp: ErpSystem) -> None:
    bad = ale("13", [("E1KNA1M", {**GENERAL, "LAND1": ""})])
    with pytest.raises(ABAPApplicationError) as error:
        erp.execute_unit("0A0B0C0D0E0F101112131415", [RfcCall("IDOC_INPUT_DEBITOR", bad)])
    assert (error.value.msg_class, error.value.msg_number) == ("F2", "906")
    assert rows(erp, KNA1) == []
    assert erp.execute_unit("0A0B0C0D0E0F101112131416",
                            [RfcCall("IDOC_INPUT_DEBITOR", ale("14", [("E1KNA1M", GENERAL)]))])
    assert len(rows(erp, KNA1)) == 1


def test_vendor_with_company_code_and_purchasing_organization(erp: ErpSystem,
                                                              conn: LocalConnection) -> None:
    general = {"MSGFN": "009", "KTOKK": "0001", "NAME1": "C.E.B. Berlin", "LAND1": "DE",
               "ORT01": "Berlin", "TELF1": "030 1234"}
    created = cremas(conn, [("E1LFA1M", general),
                            ("E1LFB1M", {"BUKRS": "1000", "AKONT": "160000"}),
                            ("E1LFM1M", {"EKORG": "1000", "WAERS": "EUR", "ZTERM": "0001"})])
    refused = cremas(conn, [("E1LFA1M", general),
                            ("E1LFB1M", {"BUKRS": "1000", "AKONT": "0000400000"}),
                            ("E1LFM1M", {"EKORG": "9000"})])

    assert created["RETURN"][0]["MESSAGE"] == "Vendor 0000300000 has been created"
    assert [(r["LIFNR"], r["NAME1"], r["TELF1"]) for r in rows(erp, LFA1)] == [
        ("0000300000", "C.E.B. Berlin", "030 1234")]
    assert [(r["BUKRS"], r["AKONT"]) for r in rows(erp, LFB1)] == [("1000", "0000160000")]
    assert [(r["EKORG"], r["WAERS"], r["ZTERM"]) for r in rows(erp, LFM1)] == [
        ("1000", "EUR", "0001")]
    assert errors_of(refused) == {("F2", "912", "AKONT"), ("F2", "914", "EKORG")}


def test_new_tables_are_readable_with_rfc_read_table(conn: LocalConnection) -> None:
    debmas(conn, COMPANY)
    result = conn.call("RFC_READ_TABLE", QUERY_TABLE="KNB1", DELIMITER="|",
                       FIELDS=[{"FIELDNAME": "KUNNR"}, {"FIELDNAME": "AKONT"}],
                       OPTIONS=[{"TEXT": "KUNNR = '0000100000'"}])
    assert [row["WA"] for row in result["DATA"]] == ["0000100000|0000140000"]
    for table in ("KNA1", "KNVV", "LFA1", "LFB1", "LFM1"):
        assert conn.call("RFC_READ_TABLE", QUERY_TABLE=table, NO_DATA="X")["FIELDS"]


def test_a_row_twice_in_one_idoc_is_refused(erp: ErpSystem, conn: LocalConnection) -> None:
    result = debmas(conn, COMPANY, COMPANY)
    assert [(m["ID"], m["NUMBER"], m["ROW"]) for m in result["RETURN"]] == [("F2", "920", 3)]
    assert result["RETURN"][0]["MESSAGE"] == ("Segment E1KNB1M for 1000 appears more than once "
                                              "in the IDoc")
    assert rows(erp, KNA1) == []


def test_the_same_new_customer_from_two_sessions(erp: ErpSystem, conn: LocalConnection) -> None:
    other = erp.connect()
    first = debmas(conn, COMPANY, commit=False, KTOKD="0002", KUNNR="900007")
    second = debmas(other, COMPANY, commit=False, KTOKD="0002", KUNNR="900007", NAME1="Late")
    assert codes(first["RETURN"]) == codes(second["RETURN"]) == [("S", "F2", "901")]
    conn.call("BAPI_TRANSACTION_COMMIT")

    with pytest.raises(ABAPRuntimeError) as error:
        other.call("BAPI_TRANSACTION_COMMIT")
    assert (error.value.msg_class, error.value.msg_number) == ("F2", "919")
    assert error.value.message == "Customer 0000900007: general data exists already"
    assert [r["NAME1"] for r in rows(erp, KNA1)] == ["Becker Köln"]
    assert len(rows(erp, KNB1)) == 1
