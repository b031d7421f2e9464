"""CO-PA as a user meets it: a sales order and its billing over JSON RFC, then the billing's
line item (record type F) in KE24 over RFC, on the command line and in the monitor."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from starlette.testclient import TestClient

from sapgw.gateway.cli import build_parser, dispatch
from sapgw.gateway.client import HttpClient
from sapgw.rfc.jsonrfc_client import HttpRfcConnection
from tests.erp_stub.sd_support import (
    bill,
    create_order,
    internal_order,
    item,
    price,
    sales_data,
    value,
)


@pytest.fixture
def rfc(http: TestClient) -> HttpRfcConnection:
    return HttpRfcConnection("http://testserver", client=http)


@pytest.fixture
def billed(rfc: HttpRfcConnection) -> dict[str, str]:
    """A service order: labour on an internal order, a part without one; billed in 2026/11."""
    sales_data(rfc)  # the helpers take any RFC connection
    aufnr = internal_order(rfc)
    order = create_order(rfc, [item("10", "SP-2000", "7.5", ORDERID=aufnr),
                               item("20", "SP-2000", "3")],
                         [price("10", "96.333"), price("20", "12.345")])
    vbeln = order["SALESDOCUMENT"]
    result = bill(rfc, {"REF_DOC_CA": "C", "REF_DOC": vbeln,
                        "BILL_DATE": "20261122"})
    assert [m["TYPE"] for m in result["RETURN"]] == ["S"], result["RETURN"]
    return {"aufnr": aufnr, "vbeln": vbeln, "billing": result["SUCCESS"][0]["BILL_DOC"]}


def cli(http: TestClient, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    client = HttpClient("http://testserver")
    client.http = http  # the CLI's HTTP client, talking to the app in this process
    code = dispatch(build_parser().parse_args(["erp", "ke24", *args]), client)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_billing_reaches_ke24_over_rfc(rfc: HttpRfcConnection, billed: dict[str, str]) -> None:
    result = rfc.call("Z_COPA_LINE_ITEMS", RECORD_TYPE="F", PERIOD="2026011")
    [line] = result["LINE_ITEMS"]
    assert (line["VRGAR"], line["KAUFN"], line["KDPOS"], line["RBELN"], line["AUFNR"]) == (
        "F", billed["vbeln"], "000020", billed["billing"], "")
    assert Decimal(line["VV010"]) == value("3", "12.345")
    fields = {f["FIENM"]: f for f in result["VALUE_FIELDS"]}
    assert fields["VV010"]["KTEXT"] == "Revenue"
    assert Decimal(fields["VV010"]["TOTAL"]) == value("3", "12.345")
    assert [(m["TYPE"], m["ID"], m["NUMBER"]) for m in result["RETURN"]] == [("S", "KE", "913")]
    # the internal order's revenue is not in CO-PA until settlement (record type C)
    assert rfc.call("Z_COPA_LINE_ITEMS", ORDERID=billed["aufnr"])["LINE_ITEMS"] == []
    assert rfc.call("Z_COPA_LINE_ITEMS", PERIOD="2026012")["LINE_ITEMS"] == []
    wrong = rfc.call("Z_COPA_LINE_ITEMS", PERIOD="2026099")
    assert [(m["TYPE"], m["NUMBER"], m["FIELD"]) for m in wrong["RETURN"]] == [
        ("E", "916", "PERIOD")]


def test_ke24_on_the_command_line(http: TestClient, billed: dict[str, str],
                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out = cli(http, capsys, "--record-type", "F", "--period", "2026/11", "--json")
    assert code == 0
    found: dict[str, Any] = json.loads(out)
    assert [i["RBELN"] for i in found["items"]] == [billed["billing"]]

    code, out = cli(http, capsys, "--period", "2026/11", "--customer", "1000")
    assert code == 0
    assert billed["billing"] in out and "Revenue" in out and "Total" in out
    assert f"{value('3', '12.345'):.2f}" in out and "KE 913 1 line items" in out
    assert cli(http, capsys, "--order", billed["aufnr"])[1].startswith("(no line items)")
    code, out = cli(http, capsys, "--period", "2026/17")
    assert code == 2 and "YYYY/PP" in out


def test_ke24_in_the_monitor(http: TestClient, billed: dict[str, str]) -> None:
    page = http.get("/erp/ke24", params={"record_type": "F", "period": "2026/11"})
    assert page.status_code == 200
    assert billed["billing"] in page.text and "Revenue (VV010)" in page.text
    assert f"{value('3', '12.345'):,.2f}" in page.text
    assert http.get("/erp/ke24", params={"period": "11/2026"}).status_code == 400
    empty = http.get("/erp/ke24", params={"order": billed["aufnr"]})
    assert empty.status_code == 200 and "no line items match" in empty.text
