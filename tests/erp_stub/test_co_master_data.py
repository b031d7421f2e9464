"""CO master data over RFC: cost centers, cost elements and activity types created with SAP's
BAPIs, read back through RFC_READ_TABLE and GetDetail/GetList after commit, never before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sapgw.clock import Clock
from sapgw.erp_stub import create_system
from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.test_fi_post import codes, expense, post

CENTER = {"COSTCENTER": "4711", "VALID_FROM": "20260101", "NAME": "Field service",
          "DESCRIPT": "Field service north", "PERSON_IN_CHARGE": "Ms Weber",
          "COSTCENTER_TYPE": "F", "COMP_CODE": "1000"}
ELEMENT = {"COST_ELEM": "943100", "VALID_FROM": "20260101", "NAME": "Technician hours",
           "CELEM_CATEGORY": "43"}
ACTIVITY = {"ACTTYPE": "TECHHR", "VALID_FROM": "20260101", "NAME": "Technician hour",
            "ACTTYPE_UNIT": "H", "ACTTYPE_CATEGORY": "1", "ALLOC_COST_ELEM": "943000"}


def read_table(conn: LocalConnection, table: str, condition: str) -> list[str]:
    result = conn.call("RFC_READ_TABLE", QUERY_TABLE=table, DELIMITER="|",
                       OPTIONS=[{"TEXT": condition}])
    return [row["WA"] for row in result["DATA"]]


def on_account(account: str, co: dict[str, Any] | None = None) -> dict[str, Any]:
    document = expense(co=co)
    document["ACCOUNTGL"][0]["GL_ACCOUNT"] = account
    return document


def fields(messages: list[dict[str, Any]]) -> list[tuple[str, str, str, int, str]]:
    return [(m["ID"], m["NUMBER"], m["PARAMETER"], m["ROW"], m["FIELD"]) for m in messages]


def test_cost_center_is_visible_after_commit_only(conn: LocalConnection) -> None:
    created = conn.call("BAPI_COSTCENTER_CREATEMULTIPLE", CONTROLLINGAREA="1000",
                        COSTCENTERLIST=[CENTER])
    assert codes(created["RETURN"]) == [("S", "KS", "902")]
    assert read_table(conn, "CSKS", "KOSTL = '0000004711'") == []

    conn.call("BAPI_TRANSACTION_COMMIT")

    [line] = read_table(conn, "CSKS", "KOSTL = '0000004711'")
    assert line.split("|")[:4] == ["1000", "0000004711", "99991231", "20260101"]
    detail = conn.call("BAPI_COSTCENTER_GETDETAIL1", CONTROLLINGAREA="1000",
                       COSTCENTER="4711", KEYDATE="20260601")
    assert detail["RETURN"] == []
    assert {k: detail["COSTCENTERDETAIL"][k] for k in (
        "COSTCENTER", "NAME", "DESCRIPT", "COMP_CODE", "CURRENCY", "VALID_TO")} == {
        "COSTCENTER": "0000004711", "NAME": "Field service", "DESCRIPT": "Field service north",
        "COMP_CODE": "1000", "CURRENCY": "EUR", "VALID_TO": "99991231"}
    listed = conn.call("BAPI_COSTCENTER_GETLIST1", CONTROLLINGAREA="1000")
    assert [row["COSTCENTER"] for row in listed["COSTCENTERLIST"]] == [
        "0000001000", "0000002000", "0000004100", "0000004300", "0000004711"]


def test_new_cost_center_takes_postings(conn: LocalConnection) -> None:
    conn.call("BAPI_COSTCENTER_CREATEMULTIPLE", CONTROLLINGAREA="1000", COSTCENTERLIST=[CENTER])
    conn.call("BAPI_TRANSACTION_COMMIT")

    result = post(conn, expense(co={"COSTCENTER": "4711"}))

    assert codes(result["RETURN"])[0] == ("S", "RW", "605")


def test_test_run_writes_nothing(conn: LocalConnection) -> None:
    result = conn.call("BAPI_COSTCENTER_CREATEMULTIPLE", CONTROLLINGAREA="1000", TESTRUN="X",
                       COSTCENTERLIST=[CENTER])
    conn.call("BAPI_TRANSACTION_COMMIT")

    assert codes(result["RETURN"]) == [("S", "KO", "909")]
    assert read_table(conn, "CSKS", "KOSTL = '0000004711'") == []


def test_every_cost_center_problem_is_listed(conn: LocalConnection) -> None:
    result = conn.call("BAPI_COSTCENTER_CREATEMULTIPLE", CONTROLLINGAREA="1000", COSTCENTERLIST=[
        {**CENTER, "COSTCENTER": "1000"},                                    # exists
        {**CENTER, "VALID_TO": "20251231"},                                  # dates
        {**CENTER, "COSTCENTER": "4712", "NAME": "", "COMP_CODE": "9999"},   # name, company
        {**CENTER, "COSTCENTER": "4713", "CURRENCY": "XXX"},
        CENTER, CENTER,                                                      # twice
    ])

    assert fields(result["RETURN"]) == [
        ("KS", "901", "COSTCENTERLIST", 1, "COSTCENTER"),
        ("KO", "907", "COSTCENTERLIST", 2, "VALID_TO"),
        ("KO", "904", "COSTCENTERLIST", 3, "NAME"),
        ("KO", "906", "COSTCENTERLIST", 3, "COMP_CODE"),
        ("KO", "908", "COSTCENTERLIST", 4, "CURRENCY"),
        ("KS", "903", "COSTCENTERLIST", 6, "COSTCENTER"),
    ]
    unknown = conn.call("BAPI_COSTCENTER_CREATEMULTIPLE", CONTROLLINGAREA="9999",
                        COSTCENTERLIST=[CENTER])
    assert fields(unknown["RETURN"]) == [("KO", "905", "CONTROLLINGAREA", 0, "")]
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert read_table(conn, "CSKS", "KOSTL LIKE '000000471%'") == []


def test_cost_element_and_activity_type_after_commit(conn: LocalConnection) -> None:
    element = conn.call("BAPI_COSTELEM_CREATEMULTIPLE", COAREA="1000",
                        COSTELEMENTLIST=[ELEMENT])
    activity = conn.call("BAPI_ACTTYPE_CREATEMULTIPLE", COAREA="1000",
                         ACTIVITYTYPELIST=[ACTIVITY])
    assert codes(element["RETURN"] + activity["RETURN"]) == [
        ("S", "KA", "902"), ("S", "KL", "902")]
    assert read_table(conn, "CSKB", "KSTAR = '0000943100'") == []
    assert read_table(conn, "CSLA", "LSTAR = 'TECHHR'") == []

    conn.call("BAPI_TRANSACTION_COMMIT")

    [cskb] = read_table(conn, "CSKB", "KSTAR = '0000943100'")
    assert cskb.split("|")[:5] == ["1000", "0000943100", "99991231", "20260101", "43"]
    assert read_table(conn, "CSKU", "KSTAR = '0000943100'") != []
    detail = conn.call("BAPI_COSTELEM_GETDETAIL", CONTROLLINGAREA="1000",
                       COSTELEMENT="943100", KEYDATE="20260301")
    assert (detail["COSTELEMENTDETAIL"]["NAME"],
            detail["COSTELEMENTDETAIL"]["CELEM_CATEGORY"]) == ("Technician hours", "43")
    listed = conn.call("BAPI_COSTELEM_GETLIST", CONTROLLINGAREA="1000", DATE="20260301")
    assert "0000943100" in [row["COST_ELEM"] for row in listed["COSTELEMENTLIST"]]
    [csla] = read_table(conn, "CSLA", "LSTAR = 'TECHHR'")
    assert csla.split("|")[4].strip() == "H"
    got = conn.call("BAPI_ACTTYPE_GETDETAIL", CONTROLLINGAREA="1000", ACTIVITYTYPE="TECHHR",
                    KEYDATE="20260301")
    assert (got["ACTIVITYTYPEDETAIL"]["NAME"], got["ACTIVITYTYPEDETAIL"]["ALLOC_COST_ELEM"]
            ) == ("Technician hour", "0000943000")
    types = conn.call("BAPI_ACTTYPE_GETLIST", CONTROLLINGAREA="1000")
    assert [row["ACTTYPE"] for row in types["ACTIVITYTYPELIST"]] == ["SRVHR", "TECHHR", "TOOLHR"]


def test_cost_element_category_against_the_account(conn: LocalConnection) -> None:
    result = conn.call("BAPI_COSTELEM_CREATEMULTIPLE", COAREA="1000", COSTELEMENTLIST=[
        {**ELEMENT, "COST_ELEM": "0000196000", "CELEM_CATEGORY": "01"},  # balance sheet
        {**ELEMENT, "COST_ELEM": "0000123456", "CELEM_CATEGORY": "01"},  # no G/L account
        {**ELEMENT, "COST_ELEM": "0000800000", "CELEM_CATEGORY": "43"},  # G/L account
        {**ELEMENT, "CELEM_CATEGORY": "77"},                             # no such category
        {**ELEMENT, "COST_ELEM": "0000400000", "CELEM_CATEGORY": "01"},  # exists
    ])

    assert fields(result["RETURN"]) == [
        ("KA", "906", "COSTELEMENTLIST", 1, "CELEM_CATEGORY"),
        ("KA", "905", "COSTELEMENTLIST", 2, "COST_ELEM"),
        ("KA", "907", "COSTELEMENTLIST", 3, "COST_ELEM"),
        ("KA", "903", "COSTELEMENTLIST", 4, "CELEM_CATEGORY"),
        ("KA", "901", "COSTELEMENTLIST", 5, "COST_ELEM"),
    ]
    wrong_class = conn.call("BAPI_COSTELEM_CREATEMULTIPLE", COAREA="1000", COSTELEMCLASS="1",
                            COSTELEMENTLIST=[ELEMENT])
    assert fields(wrong_class["RETURN"]) == [
        ("KA", "904", "COSTELEMENTLIST", 1, "CELEM_CATEGORY")]


def test_primary_cost_element_makes_the_account_need_a_co_object(
        conn: LocalConnection) -> None:
    """CSKB is the source of truth: revenue account 800000 becomes a cost element (cat. 11)."""
    assert codes(post(conn, on_account("0000800000", {}))["RETURN"])[0] == ("S", "RW", "605")
    conn.call("BAPI_COSTELEM_CREATEMULTIPLE", COAREA="1000", COSTELEMENTLIST=[
        {**ELEMENT, "COST_ELEM": "800000", "CELEM_CATEGORY": "11"}])
    conn.call("BAPI_TRANSACTION_COMMIT")

    result = post(conn, on_account("0000800000", {}))

    assert ("E", "KI", "235") in codes(result["RETURN"])


def test_activity_type_problems_are_listed(conn: LocalConnection) -> None:
    result = conn.call("BAPI_ACTTYPE_CREATEMULTIPLE", COAREA="1000", ACTIVITYTYPELIST=[
        {**ACTIVITY, "ACTTYPE": "SRVHR"},                         # exists
        {**ACTIVITY, "ALLOC_COST_ELEM": "400000"},                # category 01, not 43
        {**ACTIVITY, "ACTTYPE": "T3", "ACTTYPE_CATEGORY": "9", "ACTTYPE_UNIT": ""},
        {**ACTIVITY, "ACTTYPE": "T4", "VALID_FROM": ""},
    ])

    assert fields(result["RETURN"]) == [
        ("KL", "901", "ACTIVITYTYPELIST", 1, "ACTTYPE"),
        ("KL", "903", "ACTIVITYTYPELIST", 2, "ALLOC_COST_ELEM"),
        ("KO", "904", "ACTIVITYTYPELIST", 3, "ACTTYPE_UNIT"),
        ("KL", "904", "ACTIVITYTYPELIST", 3, "ACTTYPE_CATEGORY"),
        ("KO", "904", "ACTIVITYTYPELIST", 4, "VALID_FROM"),
    ]


def test_unknown_entries_in_get_detail(conn: LocalConnection) -> None:
    center = conn.call("BAPI_COSTCENTER_GETDETAIL1", CONTROLLINGAREA="1000", COSTCENTER="999")
    element = conn.call("BAPI_COSTELEM_GETDETAIL", CONTROLLINGAREA="1000", COSTELEMENT="999")
    activity = conn.call("BAPI_ACTTYPE_GETDETAIL", CONTROLLINGAREA="2000", ACTIVITYTYPE="X")

    assert codes(center["RETURN"] + element["RETURN"] + activity["RETURN"]) == [
        ("E", "KI", "100"), ("E", "KA", "910"), ("E", "KO", "905")]


def test_a_second_system_on_the_same_file_sees_the_new_cost_center(
        tmp_path: Path, clock: Clock) -> None:
    """Both processes buffer CSKS; the commit's DDLOG row tells the other one to reload."""
    url = f"sqlite:///{tmp_path / 'erp.db'}"
    first, second = create_system(url, clock=clock), create_system(url, clock=clock)
    try:
        other = second.connect()
        assert other.call("BAPI_COSTCENTER_GETDETAIL1", CONTROLLINGAREA="1000",
                          COSTCENTER="4711")["RETURN"][0]["NUMBER"] == "100"
        conn = first.connect()
        conn.call("BAPI_COSTCENTER_CREATEMULTIPLE", CONTROLLINGAREA="1000",
                  COSTCENTERLIST=[CENTER])
        conn.call("BAPI_TRANSACTION_COMMIT")

        detail = other.call("BAPI_COSTCENTER_GETDETAIL1", CONTROLLINGAREA="1000",
                            COSTCENTER="4711")

        assert detail["RETURN"] == []
        assert codes(post(other, expense(co={"COSTCENTER": "4711"}))["RETURN"])[0] == (
            "S", "RW", "605")
    finally:
        first.db.dispose()
        second.db.dispose()


def test_seeded_rows_are_kept_and_completed_on_restart(tmp_path: Path, clock: Clock) -> None:
    """Restarting on a database adds the data set's missing rows and keeps maintained ones."""
    url = f"sqlite:///{tmp_path / 'erp.db'}"
    first = create_system(url, clock=clock)
    conn = first.connect()
    conn.call("BAPI_COSTCENTER_CREATEMULTIPLE", CONTROLLINGAREA="1000", COSTCENTERLIST=[CENTER])
    conn.call("BAPI_TRANSACTION_COMMIT")
    first.db.dispose()

    again = create_system(url, clock=clock)
    try:
        kept = again.connect().call("BAPI_COSTCENTER_GETLIST1", CONTROLLINGAREA="1000")
        assert len(kept["COSTCENTERLIST"]) == 5   # the demo's four and the one created
    finally:
        again.db.dispose()
