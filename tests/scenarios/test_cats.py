"""CATS as a user meets it: time sheet records over JSON RFC (with a session for the commit),
CAT7 transferring them to CO, the CO line items read back with RFC_READ_TABLE; and the
commands `sapgw erp catsdb`, `sapgw erp cat7` and `sapgw jobs`."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from sapgw.gateway.runtime import Gateway

from .conftest import read_table
from .test_cli import config, sapgw  # noqa: F401  (the fixture and the runner)


class Session:
    """One JSON RFC session: an LUW across calls, committed with BAPI_TRANSACTION_COMMIT."""

    def __init__(self, http: TestClient) -> None:
        self.http = http
        self.headers = {"sap-contextid-accept": "header"}

    def call(self, function: str, **params: Any) -> dict[str, Any]:
        response = self.http.post(f"/sap/bc/rfc/{function}", json=params, headers=self.headers)
        assert response.status_code == 200, response.text
        self.headers = {"sap-contextid": response.headers["sap-contextid"]}
        return response.json()


def test_hours_reach_the_order_through_cat7(http: TestClient) -> None:
    session = Session(http)
    order = session.call("BAPI_INTERNALORDER_CREATE", I_MASTER_DATA={
        "ORDER_TYPE": "SAPS", "ORDER_NAME": "Service order 8000000042", "CO_AREA": "1000"})
    session.call("BAPI_TRANSACTION_COMMIT")
    aufnr = order["ORDERID"]
    saved = session.call("BAPI_CATIMESHEETMGR_INSERT", CATSRECORDS_IN=[
        {"WORKDATE": "20261120", "EMPLOYEENUMBER": "1001", "CATSHOURS": "4.5",
         "ACTTYPE": "SRVHR", "REC_ORDER": aufnr, "EXTDOCUMENTNO": "8000000042"},
        {"WORKDATE": "20261121", "EMPLOYEENUMBER": "1002", "CATSHOURS": "1.25",
         "ACTTYPE": "SRVHR", "REC_ORDER": aufnr}])
    session.call("BAPI_TRANSACTION_COMMIT")
    assert saved["RETURN"] == []
    prices = session.call("BAPI_CTR_GETACTIVITYPRICES", COAREA="1000", FISCYEAR="2026",
                          COSTCENTERFROM="4100", COSTCENTERTO="4100", PERIODFROM="011")
    [price] = prices["ACTPRICES"]
    per_hour = (Decimal(str(price["PRICE_CCURR_FIX"])) + Decimal(str(price["PRICE_CCURR_VAR"]))
                ) / Decimal(str(price["PRICE_UNIT"]))

    transferred = http.post("/sap/bc/rfc/CATS_TRANSFER_TO_CO", json={}).json()

    assert [(m["TYPE"], m["NUMBER"]) for m in transferred["RETURN"]] == [
        ("S", "940"), ("S", "940"), ("S", "942")]
    debits = read_table(http, "COEP", ["OBJNR", "WKGBTR", "MEGBTR", "VRGNG"],
                        f"OBJNR = 'OR{aufnr}'")
    expected = [(Decimal(hours) * per_hour).quantize(Decimal("0.01"), ROUND_HALF_UP)
                for hours in ("4.5", "1.25")]
    assert [Decimal(row["WKGBTR"]) for row in debits] == expected
    assert {row["VRGNG"] for row in debits} == {"RKL"}
    marked = read_table(http, "CATSCO", ["COUNTER", "TRANSFER", "CO_BELNR"])
    assert [row["TRANSFER"] for row in marked] == ["X", "X"]
    assert {row["CO_BELNR"] for row in marked} == {
        line["CO_BELNR"] for line in transferred["RESULTS"]}

    page = http.get("/catsdb", params={"order": aufnr.lstrip("0")})
    assert page.status_code == 200
    assert all(row["CO_BELNR"] in page.text for row in marked)
    assert "00001002" not in http.get("/catsdb", params={"pernr": "1001"}).text
    jobs = http.get("/sm37")
    assert jobs.status_code == 200 and "CATS_TRANSFER_TO_CO" in jobs.text


def test_the_commands(config: Path) -> None:  # noqa: F811
    with Gateway.open(config) as gateway:
        connection = gateway.destination("ERP")
        order = connection.call("BAPI_INTERNALORDER_CREATE", I_MASTER_DATA={
            "ORDER_TYPE": "SAPS", "ORDER_NAME": "Service order", "CO_AREA": "1000"})
        connection.call("BAPI_TRANSACTION_COMMIT")
        today = gateway.clock.today().strftime("%Y%m%d")
        connection.call("BAPI_CATIMESHEETMGR_INSERT", CATSRECORDS_IN=[{
            "WORKDATE": today, "EMPLOYEENUMBER": "1001", "CATSHOURS": "2",
            "ACTTYPE": "SRVHR", "REC_ORDER": order["ORDERID"]}])
        connection.call("BAPI_TRANSACTION_COMMIT")
        connection.close()
    aufnr = str(order["ORDERID"]).lstrip("0")

    listed = json.loads(sapgw(config, "erp", "catsdb", "--order", aufnr, "--json").stdout)
    assert [(r["PERNR"], r["STATUS"], r["TRANSFER"]) for r in listed] == [("00001001", "30", "")]
    log = sapgw(config, "erp", "cat7").stdout
    assert "S LR 940 Record" in log and "S LR 942 CAT7: 1 records transferred" in log
    listed = json.loads(sapgw(config, "erp", "catsdb", "--pernr", "1001", "--json").stdout)
    assert [r["TRANSFER"] for r in listed] == ["X"]

    run = json.loads(sapgw(config, "jobs", "CAT7", "--run", "--json").stdout)
    assert (run["status"], [m["number"] for m in run["log"]]) == ("F", ["943"])
    jobs = json.loads(sapgw(config, "jobs", "--json").stdout)
    assert "CAT7" in [job["name"] for job in jobs["jobs"]]
    assert [r["jobcount"] for r in jobs["runs"]] == [run["jobcount"]]
