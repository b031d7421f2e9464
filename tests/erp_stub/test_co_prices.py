"""Planned activity prices: BAPI_ACT_PRICE_CHECK_AND_POST, read back with
BAPI_CTR_GETACTIVITYPRICES and RFC_READ_TABLE after commit only."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.test_co_master_data import fields, read_table
from tests.erp_stub.test_fi_post import codes

HEADER = {"CO_AREA": "1000", "FISC_YEAR": "2026", "PERIOD_FROM": "001", "PERIOD_TO": "012",
          "VERSION": "000", "PLAN_CURRTYPE": "C"}


def plan(conn: LocalConnection, *, header: dict[str, Any] | None = None,
         tot: dict[str, Any] | None = None, per: dict[str, Any] | None = None,
         obj: dict[str, Any] | None = None, **params: Any) -> dict[str, Any]:
    value = {"VALUE_INDEX": "000001"}
    return conn.call(
        "BAPI_ACT_PRICE_CHECK_AND_POST", HEADER_INFO={**HEADER, **(header or {})},
        IDX_STRUCTURE=[{"OBJECT_INDEX": "000001", "VALUE_INDEX": "000001"}],
        OBJECT=[{"OBJECT_INDEX": "000001", "COSTCENTER": "1000", "ACTTYPE": "SRVHR",
                 **(obj or {})}],
        TOT_VALUE=[{**value, **tot}] if tot is not None else [],
        PER_VALUE=[{**value, **per}] if per is not None else [], **params)


def prices(conn: LocalConnection, **params: Any) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    # Cost center 1000 only: the demo data plans prices for the service cost center 4100.
    result = conn.call("BAPI_CTR_GETACTIVITYPRICES", COAREA="1000", FISCYEAR="2026",
                       COSTCENTERFROM="1000", COSTCENTERTO="1000", **params)
    return [(row["PERIOD"], row["PRICE_CCURR_FIX"], row["PRICE_CCURR_VAR"], row["PRICE_UNIT"])
            for row in result["ACTPRICES"]]


def test_price_for_all_periods_visible_after_commit(conn: LocalConnection) -> None:
    result = plan(conn, tot={"PRICE_FIX": Decimal("40"), "PRICE_VAR": Decimal("45.50"),
                             "PRICE_UNIT": Decimal(1), "CURRENCY": "EUR"})
    assert codes(result["RETURN"]) == [("S", "KP", "905")]
    assert prices(conn) == []

    conn.call("BAPI_TRANSACTION_COMMIT")

    planned = prices(conn)
    assert len(planned) == 12
    assert planned[0] == ("001", Decimal("40.0000"), Decimal("45.5000"), Decimal(1))
    assert prices(conn, PERIODFROM="003") == [
        ("003", Decimal("40.0000"), Decimal("45.5000"), Decimal(1))]
    rows = read_table(conn, "ZCO_ACT_PRICE", "PERIO = '012'")
    assert [value.strip() for value in rows[0].split("|")[:7]] == [
        "1000", "0000001000", "SRVHR", "2026", "000", "012", "KL10000000001000SRVHR"]


def test_prices_per_period_and_delta(conn: LocalConnection) -> None:
    plan(conn, header={"PERIOD_TO": "002"},
         per={"PRICE_FIX_PER01": Decimal(10), "PRICE_VAR_PER01": Decimal(5),
              "PRICE_FIX_PER02": Decimal(12), "PRICE_UNIT_PER02": Decimal(10)})
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert prices(conn) == [("001", Decimal(10), Decimal(5), Decimal(1)),
                            ("002", Decimal(12), Decimal(0), Decimal(10))]

    plan(conn, header={"PERIOD_FROM": "002", "PERIOD_TO": "002"}, DELTA="X",
         tot={"PRICE_FIX": Decimal(1), "PRICE_UNIT": Decimal(10)})
    conn.call("BAPI_TRANSACTION_COMMIT")

    assert prices(conn, PERIODFROM="002") == [("002", Decimal(13), Decimal(0), Decimal(10))]


def test_test_run_posts_nothing(conn: LocalConnection) -> None:
    result = plan(conn, TESTRUN="X", tot={"PRICE_FIX": Decimal(40)})
    conn.call("BAPI_TRANSACTION_COMMIT")

    assert codes(result["RETURN"]) == [("S", "KO", "909")]
    assert prices(conn) == []


def test_every_price_problem_is_listed(conn: LocalConnection) -> None:
    result = plan(conn, header={"PERIOD_FROM": "013", "PERIOD_TO": "017", "VERSION": "001"},
                  obj={"COSTCENTER": "999", "ACTTYPE": "NOPE"}, tot={"PRICE_FIX": Decimal(1)})
    assert fields(result["RETURN"]) == [
        ("KP", "910", "HEADER_INFO", 0, "PERIOD_TO"),
        ("KP", "903", "HEADER_INFO", 0, "VERSION"),
    ]
    bad = plan(conn, obj={"COSTCENTER": "999", "ACTTYPE": "NOPE"},
               tot={"PRICE_FIX": Decimal(-1), "CURRENCY": "EUR"})
    assert fields(bad["RETURN"]) == [
        ("KI", "100", "OBJECT", 1, "COSTCENTER"),
        ("KL", "906", "OBJECT", 1, "ACTTYPE"),
        ("KP", "901", "TOT_VALUE", 1, "PRICE_FIX"),
    ]
    currency = plan(conn, tot={"PRICE_FIX": Decimal(1), "CURRENCY": "USD"})
    assert fields(currency["RETURN"]) == [("KP", "904", "TOT_VALUE", 1, "CURRENCY")]
    unknown = conn.call("BAPI_CTR_GETACTIVITYPRICES", COAREA="9999", FISCYEAR="2026")
    assert codes(unknown["RETURN"]) == [("E", "KO", "905")]
