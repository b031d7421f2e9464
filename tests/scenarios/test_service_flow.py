"""Seed 001 through the gateway: service orders, contracts and confirmations as BDocs
BUS_TRANS_MSG, routed by transaction type to their adapter objects and queues, posting in
the ERP's controlling; bad input stops the queue in SYSFAIL and posts once after the fix."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from starlette.testclient import TestClient

from sapgw.erp_stub.cats.tables import PA0001
from sapgw.gateway.cli import build_parser, dispatch
from sapgw.gateway.client import HttpClient
from sapgw.gateway.runtime import Gateway
from tests.erp_stub.crmsrv_support import ORDER_ITEMS, plan_prices, receive_stock

from .conftest import read_table


def transaction(object_id: str, process_type: str, items: list[dict[str, Any]],
                predecessor: str = "", released: str = "X", completed: str = "",
                ) -> dict[str, Any]:
    """A BUS_TRANS_MSG as CRM sends it (JSON: numbers as strings)."""
    return {"type": "BUS_TRANS_MSG", "sender": "CRM", "data": {
        "HEADER": {"OBJECT_ID": object_id, "PROCESS_TYPE": process_type,
                   "DESCRIPTION": f"Pump repair {object_id}", "POSTING_DATE": "2026-11-22",
                   "RELEASED": released, "COMPLETED": completed, "SOLD_TO_PARTY": "1000",
                   "SALES_ORG": "1000", "SERVICE_ORG": "S1000", "CURRENCY": "EUR",
                   "PREDECESSOR": predecessor},
        "ITEMS": [{key: str(value) for key, value in item.items() if value not in ("", None)}
                  for item in items]}}


def bdoc_item(number: int, itm_type: str, product: str, quantity: str, unit: str,
              net_value: str = "", **fields: str) -> dict[str, str]:
    return {"NUMBER_INT": str(number), "ITM_TYPE": itm_type, "PRODUCT_ID": product,
            "QUANTITY": quantity, "UNIT": unit, "NET_VALUE": net_value, **fields}


ORDER = [{**item, "QUANTITY": str(item["QUANTITY"]), "NET_VALUE": str(item["NET_VALUE"]),
          "NUMBER_INT": str(int(item["NUMBER_INT"]))} for item in ORDER_ITEMS]
CONFIRMATION = [bdoc_item(10, "SRVT", "TOOL-PRESS", "1.5", "H", EMPLOYEE="1001"),
                bdoc_item(20, "SRVM", "SP-2000", "2", "PC")]


def bdoc_link(http, bdoc_id: str) -> str:
    """The CRMSRV link of a BDoc's monitor page."""
    text = http.get(f"/smw01/{bdoc_id}").text
    start = text.index('href="/crmsrv?') + len('href="')
    return text[start:text.index('"', start)].replace("&amp;", "&")


def send(http, payload) -> str:
    response = http.post("/api/bdocs", json=payload)
    assert response.status_code == 201, response.text
    return str(response.json()["bdoc_id"])


def bdoc(http, bdoc_id: str) -> dict[str, Any]:
    return dict(http.get(f"/api/bdocs/{bdoc_id}").json())


def queues(http) -> dict[str, dict[str, Any]]:
    return {q["name"]: q for q in http.get("/api/queues", params={"direction": "out"}).json()}


@pytest.fixture
def erp(sapgw: Gateway) -> Any:
    """The ERP as a client sees it: prices planned, the customer's sales data, no stock."""
    connection = sapgw.destination("ERP")
    plan_prices(connection)
    return connection


def test_released_order_becomes_internal_order_with_plan(sapgw: Gateway, http, erp) -> None:
    order = send(http, transaction("8000000101", "SRVO", ORDER))
    draft = send(http, transaction("8000000102", "SRVO", ORDER, released=""))
    sapgw.run_until_idle()

    detail = bdoc(http, order)
    assert detail["state"] == "F04", detail["log"]
    assert [r["queue"] for r in detail["receivers"]] == ["R3AUSRVORD8000000101"]
    assert bdoc(http, draft)["state"] == "F05", "not released: no receiver"
    [aufk] = read_table(http, "AUFK", ["AUFNR", "AUART", "KTEXT"])
    assert (aufk["AUART"], aufk["KTEXT"]) == ("SAPS", "Pump repair 8000000101")
    assert read_table(http, "IAOM_ASSIGNMENTS", ["EXT_OBJECT_ID", "OBJECT_NO"],
                      "BUS_SCENARIO_ID = 'CRMSRV'") == [
        {"EXT_OBJECT_ID": "8000000101", "OBJECT_NO": f"OR{aufk['AUFNR']}"}]
    vbap = read_table(http, "VBAP", ["MATNR", "AUFNR"])
    assert {row["AUFNR"] for row in vbap} == {aufk["AUFNR"]} and len(vbap) == 4
    links = http.get(f"/smw01/{order}").text
    assert "IAOMC CRMSRV 8000000101" in links and 'href="/crmsrv?object_id=8000000101"' in links
    page = http.get("/crmsrv", params={"object_id": "8000000101"})
    assert page.status_code == 200
    assert f'href="/ko03?aufnr={aufk["AUFNR"]}"' in page.text
    assert f'href="/catsdb?order={aufk["AUFNR"]}"' in page.text


def test_confirmation_posts_tools_and_parts_after_its_order(sapgw: Gateway, http,
                                                           erp) -> None:
    receive_stock(erp, "10")
    ids = [send(http, transaction("8000000101", "SRVO", ORDER)),
           send(http, transaction("7000000001", "SRVC", CONFIRMATION,
                                  predecessor="8000000101", released="", completed="X"))]
    sapgw.run_until_idle()

    assert [bdoc(http, i)["state"] for i in ids] == ["F04", "F04"], bdoc(http, ids[1])["log"]
    assert bdoc(http, ids[1])["receivers"][0]["queue"] == "R3AUSRVCNF7000000001"
    [aufk] = read_table(http, "AUFK", ["AUFNR"])
    coep = read_table(http, "COEP", ["VRGNG", "KSTAR", "WKGBTR"],
                      f"OBJNR = 'OR{aufk['AUFNR']}'")
    assert sorted((c["VRGNG"], c["KSTAR"], Decimal(c["WKGBTR"])) for c in coep) == [
        ("COIN", "0000400000", Decimal("24.00")), ("RKL", "0000944000", Decimal("53.25"))]
    assert read_table(http, "MSEG", ["BWART", "AUFNR"], "BWART = '261'") == [
        {"BWART": "261", "AUFNR": aufk["AUFNR"]}]
    page = http.get(bdoc_link(http, ids[1]))
    assert page.status_code == 200 and "RKL" in page.text and "SP-2000" in page.text


def test_confirmation_waits_for_its_order_queue(sapgw: Gateway, http, erp) -> None:
    receive_stock(erp, "10")
    assert http.post("/api/queues/R3AUSRVORD8000000101/lock").status_code == 200
    order = send(http, transaction("8000000101", "SRVO", ORDER))
    confirmation = send(http, transaction("7000000001", "SRVC", CONFIRMATION,
                                          predecessor="8000000101", released="",
                                          completed="X"))
    sapgw.run_until_idle()

    current = queues(http)
    assert current["R3AUSRVCNF7000000001"]["status"] == "WAITING"
    assert current["R3AUSRVCNF7000000001"]["waiting_on"] == "R3AUSRVORD8000000101"
    assert http.post("/api/queues/R3AUSRVORD8000000101/unlock").status_code == 200
    sapgw.run_until_idle()
    assert [bdoc(http, i)["state"] for i in (order, confirmation)] == ["F04", "F04"]


def test_part_without_stock_sysfail_then_reprocess_posts_once(sapgw: Gateway, http,
                                                              erp) -> None:
    send(http, transaction("8000000101", "SRVO", ORDER))
    confirmation = send(http, transaction("7000000001", "SRVC", CONFIRMATION,
                                          predecessor="8000000101", released="",
                                          completed="X"))
    sapgw.run_until_idle()

    failed = bdoc(http, confirmation)
    assert failed["state"] == "E06"
    queue = queues(http)["R3AUSRVCNF7000000001"]
    assert queue["status"] == "SYSFAIL"
    assert queue["error"].startswith("M7 021 Deficit of SL Unrestricted-use 2 PC"), queue["error"]
    assert read_table(http, "COEP", ["BELNR"], "VRGNG = 'RKL'") == [], "nothing half-posted"

    receive_stock(erp, "2")
    assert http.post(f"/api/bdocs/{confirmation}/reprocess").status_code == 200
    sapgw.run_until_idle()
    assert bdoc(http, confirmation)["state"] == "F04"
    assert len(read_table(http, "MSEG", ["MBLNR"], "BWART = '261'")) == 1
    assert len(read_table(http, "COEP", ["BELNR"], "VRGNG = 'RKL'")) == 2


def cli(http: TestClient, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    client = HttpClient("http://testserver")
    client.http = http  # the CLI's HTTP client, talking to the app in this process
    code = dispatch(build_parser().parse_args(["erp", "crmsrv", *args]), client)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_document_on_the_command_line(sapgw: Gateway, http, erp,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    send(http, transaction("8000000101", "SRVO", ORDER))
    sapgw.run_until_idle()

    code, out = cli(http, capsys, "8000000101", "--json")
    assert code == 0
    found = json.loads(out)
    [aufnr] = found["orders"]
    assert found["doc"]["PROCESS_TYPE"] == "SRVO" and aufnr.startswith("0000001")
    code, out = cli(http, capsys, "8000000101")
    assert code == 0 and f"Internal orders: {aufnr.lstrip('0')}" in out
    assert cli(http, capsys, "8000000999")[0] == 1
    assert cli(http, capsys, "80000'0")[0] == 2


def period(erp: Any, action: str, year: int = 2026, number: int = 11) -> None:
    """OB52 over RFC: close (C) or open (O) a posting period of company code 1000."""
    result = erp.call("FI_POSTING_PERIODS_MAINTAIN", COMP_CODE="1000", FISC_YEAR=str(year),
                      PERIOD=f"{number:03d}", ACTION=action)
    assert [r for r in result["RETURN"] if r["TYPE"] in "EA"] == [], result["RETURN"]
    erp.call("BAPI_TRANSACTION_COMMIT")


def test_closed_period_sysfail_then_reopened_posts_once(sapgw: Gateway, http, erp) -> None:
    receive_stock(erp, "10")
    send(http, transaction("8000000101", "SRVO", ORDER))
    sapgw.run_until_idle()
    period(erp, "C")
    confirmation = send(http, transaction("7000000001", "SRVC", CONFIRMATION,
                                          predecessor="8000000101", released="",
                                          completed="X"))
    sapgw.run_until_idle()

    assert bdoc(http, confirmation)["state"] == "E06"
    queue = queues(http)["R3AUSRVCNF7000000001"]
    assert (queue["status"], queue["error"]) == (
        "SYSFAIL", "F5 201 Posting period 011 2026 is not open")
    assert read_table(http, "COEP", ["BELNR"], "VRGNG = 'RKL'") == []
    assert read_table(http, "MSEG", ["MBLNR"], "BWART = '261'") == []

    period(erp, "O")
    assert http.post(f"/api/bdocs/{confirmation}/reprocess").status_code == 200
    sapgw.run_until_idle()
    assert bdoc(http, confirmation)["state"] == "F04"
    assert len(read_table(http, "MSEG", ["MBLNR"], "BWART = '261'")) == 1
    assert len(read_table(http, "COBK", ["BELNR"], "VRGNG = 'RKL'")) == 1


LABOUR = bdoc_item(30, "SRVP", "SRV-LABOUR", "6", "H", EMPLOYEE="4711",
                   WORK_DATE="2026-11-20")
EXPENSE = bdoc_item(40, "SRVE", "EXP-TRAVEL", "1", "PC", "14.41", EMPLOYEE="4711")


def test_unknown_employee_sysfail_then_hired_posts_once(sapgw: Gateway, http, erp) -> None:
    send(http, transaction("8000000101", "SRVO", ORDER))
    confirmation = send(http, transaction("7000000001", "SRVC", [LABOUR, EXPENSE],
                                          predecessor="8000000101", released="",
                                          completed="X"))
    sapgw.run_until_idle()

    assert bdoc(http, confirmation)["state"] == "E06"
    queue = queues(http)["R3AUSRVCNF7000000001"]
    assert (queue["status"], queue["error"]) == (
        "SYSFAIL", "IAOM_CRMSRV 124 Employee 00004711 has no organizational assignment "
                   "(PA0001) on 20261120")
    assert read_table(http, "CATSDB", ["COUNTER"]) == []
    assert read_table(http, "COBK", ["BELNR"], "VRGNG = 'RKU1'") == []

    # HR hires the employee (PA30: HR master data maintenance is not an RFC function here)
    with sapgw.local_erp().db.write() as db:
        db.execute(PA0001.__table__.insert(), [{  # type: ignore[attr-defined]
            "PERNR": "00004711", "BEGDA": "20260101", "ENDDA": "99991231", "BUKRS": "1000",
            "WERKS": "1000", "KOKRS": "1000", "KOSTL": "0000004100",
            "ENAME": "New technician"}])
    assert http.post(f"/api/bdocs/{confirmation}/reprocess").status_code == 200
    sapgw.run_until_idle()

    assert bdoc(http, confirmation)["state"] == "F04"
    [aufk] = read_table(http, "AUFK", ["AUFNR"])
    assert read_table(http, "CATSDB", ["PERNR", "RAUFNR", "STATUS"]) == [
        {"PERNR": "00004711", "RAUFNR": aufk["AUFNR"], "STATUS": "30"}]
    assert len(read_table(http, "COBK", ["BELNR"], "VRGNG = 'RKU1'")) == 1
    transfer = erp.call("CATS_TRANSFER_TO_CO")
    assert [r["TYPE"] for r in transfer["RESULTS"]] == ["S"], transfer["RETURN"]
    labour = read_table(http, "COEP", ["WKGBTR"], f"OBJNR = 'OR{aufk['AUFNR']}' AND "
                        "VRGNG = 'RKL'")
    assert [Decimal(row["WKGBTR"]) for row in labour] == [Decimal("513.00")]


def test_hours_without_a_price_sysfail_then_planned_post_once(sapgw: Gateway, http,
                                                              erp) -> None:
    send(http, transaction("8000000101", "SRVO", ORDER))
    late = {**LABOUR, "EMPLOYEE": "1001", "WORK_DATE": "2028-01-14"}
    confirmation = send(http, transaction("7000000001", "SRVC", [late],
                                          predecessor="8000000101", released="",
                                          completed="X"))
    sapgw.run_until_idle()

    queue = queues(http)["R3AUSRVCNF7000000001"]
    assert (queue["status"], queue["error"]) == (
        "SYSFAIL", "IAOM_CRMSRV 108 No planned price for cost center 4100, activity type "
                   "SRVHR in fiscal year 2028")
    assert read_table(http, "CATSDB", ["COUNTER"]) == []

    plan_prices(erp, year="2028")  # KP26 and OB52 for the new year
    period(erp, "O", 2028, 1)
    assert http.post(f"/api/bdocs/{confirmation}/reprocess").status_code == 200
    sapgw.run_until_idle()
    assert bdoc(http, confirmation)["state"] == "F04"
    assert read_table(http, "CATSDB", ["PERNR", "WORKDATE"]) == [
        {"PERNR": "00001001", "WORKDATE": "20280114"}]


def mass_object(sapgw: Gateway) -> None:
    """IAOM_CRMSRV_CTP (customizing, no RFC maintenance here): service orders under
    mass-object controlling (02)."""
    erp = sapgw.local_erp()
    with erp.db.write() as db:
        db.exec_driver_sql("UPDATE \"IAOM_CRMSRV_CTP\" SET \"CO_TYPE\" = '02' "
                           "WHERE \"PROCESS_TYPE_CTP\" = 'SRVO'")
    erp.buffer.invalidate()


def sap_amount(text: str) -> Decimal:
    """RFC_READ_TABLE's display of an amount: the sign trails (534.38-)."""
    return -Decimal(text[:-1]) if text.endswith("-") else Decimal(text)


def test_mass_object_confirmation_posts_to_the_profitability_segment(sapgw: Gateway, http,
                                                                    erp) -> None:
    mass_object(sapgw)
    hours = {**LABOUR, "EMPLOYEE": "1001", "QUANTITY": "6.25"}
    tool = CONFIRMATION[0]
    ids = [send(http, transaction("8000000101", "SRVO", ORDER)),
           send(http, transaction("7000000001", "SRVC", [hours, tool],
                                  predecessor="8000000101", released="", completed="X"))]
    sapgw.run_until_idle()

    assert [bdoc(http, i)["state"] for i in ids] == ["F04", "F04"], bdoc(http, ids[1])["log"]
    assert read_table(http, "AUFK", ["AUFNR"]) == [], "mass-object: no internal order"
    [record] = read_table(http, "CATSDB", ["PAOBJNR", "RAUFNR", "STATUS"])
    assert (record["RAUFNR"], record["STATUS"]) == ("", "30"), "labour goes through CATS"
    transferred = erp.call("CATS_TRANSFER_TO_CO")
    assert [r["TYPE"] for r in transferred["RESULTS"]] == ["S"], transferred["RETURN"]
    found = erp.call("Z_COPA_LINE_ITEMS", RECORD_TYPE="B", CUSTOMER="1000")
    lines = {line["ARTNR"]: line for line in found["LINE_ITEMS"]}
    # 6.25 h x (30.00 + 55.50) = 534.375 -> 534.38; 1.5 h x (10.00 + 25.50) = 53.25
    assert {a: Decimal(line["VV160"]) for a, line in lines.items()} == {
        "SRV-LABOUR": Decimal("534.38"), "TOOL-PRESS": Decimal("53.25")}
    assert {line["VKORG"] for line in lines.values()} == {"1000"}
    ce1 = read_table(http, "CE1S001", ["VRGAR", "ARTNR", "RBELN"])
    assert {(row["VRGAR"], row["ARTNR"]) for row in ce1} == {("B", "SRV-LABOUR"),
                                                             ("B", "TOOL-PRESS")}
    senders = read_table(http, "COEP", ["OBJNR", "WKGBTR", "PAROB"], "VRGNG = 'RKL'")
    assert sorted((row["OBJNR"], sap_amount(row["WKGBTR"])) for row in senders) == [
        ("KL10000000004100SRVHR", Decimal("-534.38")),
        ("KL10000000004300TOOLHR", Decimal("-53.25"))]
    assert {row["PAROB"][2:] for row in senders} == {
        line["PAOBJNR"] for line in lines.values()}
    assert record["PAOBJNR"] == lines["SRV-LABOUR"]["PAOBJNR"]


def test_mass_object_part_without_stock_sysfail_then_posts_once_to_the_segment(
        sapgw: Gateway, http, erp) -> None:
    mass_object(sapgw)
    send(http, transaction("8000000101", "SRVO", ORDER))
    confirmation = send(http, transaction("7000000001", "SRVC", CONFIRMATION,
                                          predecessor="8000000101", released="",
                                          completed="X"))
    sapgw.run_until_idle()

    assert bdoc(http, confirmation)["state"] == "E06"
    queue = queues(http)["R3AUSRVCNF7000000001"]
    assert queue["status"] == "SYSFAIL"
    assert queue["error"].startswith("M7 021 Deficit of SL Unrestricted-use 2 PC"), queue["error"]
    assert read_table(http, "CE1S001", ["BELNR"]) == [], "nothing half-posted"
    assert read_table(http, "COBK", ["BELNR"]) == []

    receive_stock(erp, "2")
    assert http.post(f"/api/bdocs/{confirmation}/reprocess").status_code == 200
    sapgw.run_until_idle()
    assert bdoc(http, confirmation)["state"] == "F04"
    [issue] = read_table(http, "MSEG", ["PAOBJNR", "DMBTR"], "BWART = '201'")
    ce1 = read_table(http, "CE1S001", ["VRGAR", "ARTNR", "PAOBJNR", "VV150"])
    # 2 PC x 12.00 standard price = 24.00 material costs on the part's segment
    assert [(r["VRGAR"], r["PAOBJNR"], sap_amount(r["VV150"])) for r in ce1
            if r["ARTNR"] == "SP-2000"] == [("B", issue["PAOBJNR"], Decimal("24.00"))]
    assert len(ce1) == 2, "the tool and the part, once"


def test_mass_object_unknown_employee_sysfail_then_hired_posts_once(sapgw: Gateway, http,
                                                                    erp) -> None:
    mass_object(sapgw)
    send(http, transaction("8000000101", "SRVO", ORDER))
    confirmation = send(http, transaction("7000000001", "SRVC", [LABOUR, EXPENSE],
                                          predecessor="8000000101", released="",
                                          completed="X"))
    sapgw.run_until_idle()

    queue = queues(http)["R3AUSRVCNF7000000001"]
    assert (queue["status"], queue["error"]) == (
        "SYSFAIL", "IAOM_CRMSRV 124 Employee 00004711 has no organizational assignment "
                   "(PA0001) on 20261120")
    assert read_table(http, "CE1S001", ["BELNR"]) == []

    with sapgw.local_erp().db.write() as db:  # HR hires the employee (PA30 is no RFC here)
        db.execute(PA0001.__table__.insert(), [{  # type: ignore[attr-defined]
            "PERNR": "00004711", "BEGDA": "20260101", "ENDDA": "99991231", "BUKRS": "1000",
            "WERKS": "1000", "KOKRS": "1000", "KOSTL": "0000004100",
            "ENAME": "New technician"}])
    for _ in range(2):
        assert http.post(f"/api/bdocs/{confirmation}/reprocess").status_code in (200, 409)
        sapgw.run_until_idle()

    assert bdoc(http, confirmation)["state"] == "F04"
    assert len(read_table(http, "CATSDB", ["COUNTER"])) == 1, "the hours, once, as CATS"
    assert [r["TYPE"] for r in erp.call("CATS_TRANSFER_TO_CO")["RESULTS"]] == ["S"]
    ce1 = read_table(http, "CE1S001", ["ARTNR", "VV160", "VV170"])
    # 6 h x 85.50 = 513.00 internal activities (at CAT7); travel 14.41 other costs
    assert sorted((row["ARTNR"], Decimal(row["VV160"]), Decimal(row["VV170"]))
                  for row in ce1) == [("EXP-TRAVEL", Decimal("0.00"), Decimal("14.41")),
                                      ("SRV-LABOUR", Decimal("513.00"), Decimal("0.00"))]
