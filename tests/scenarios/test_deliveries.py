"""A sales item delivered as a user meets it: over JSON RFC (one session, committed like any
client) a sales order on an internal order, its outbound delivery and goods issue 601, the
cost on the order read back with RFC_READ_TABLE; the MB51 list as RFC, page and command."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from starlette.testclient import TestClient

from sapgw.gateway.runtime import Gateway
from tests.erp_stub.sd_support import create_order, internal_order, item, price, sales_data

from .conftest import read_table
from .test_cats import Session
from .test_cli import config, sapgw  # noqa: F401  (the fixture and the runner)


def receipt(session: Session, quantity: str) -> str:
    """561 initial entry of SP-2000 into 1000/0001; the material document number."""
    result = session.call("BAPI_GOODSMVT_CREATE", GOODSMVT_CODE={"GM_CODE": "05"},
                          GOODSMVT_HEADER={"PR_UNAME": "WAREHOUSE"},
                          GOODSMVT_ITEM=[{"MATERIAL": "SP-2000", "PLANT": "1000",
                                          "STGE_LOC": "0001", "MOVE_TYPE": "561",
                                          "ENTRY_QNT": quantity}])
    session.call("BAPI_TRANSACTION_COMMIT")
    assert result["RETURN"] == [], result["RETURN"]
    return str(result["MATERIALDOCUMENT"])


def test_a_delivered_sales_item_costs_its_order(http: TestClient) -> None:
    session = Session(http)
    sales_data(session)  # type: ignore[arg-type]
    aufnr = internal_order(session)  # type: ignore[arg-type]
    receipt(session, "5")
    order = create_order(session, [item("10", "SP-2000", "2", ORDERID=aufnr,  # type: ignore[arg-type]
                                        PLANT="1000")], [price("10", "30.00")])
    vbeln = order["SALESDOCUMENT"]

    created = session.call("BAPI_OUTB_DELIVERY_CREATE_SLS", SALES_ORDER_ITEMS=[
        {"REF_DOC": vbeln, "REF_ITEM": "000010"}])
    session.call("BAPI_TRANSACTION_COMMIT")
    delivery = created["DELIVERY"]
    issued = session.call("BAPI_OUTB_DELIVERY_CONFIRM_DEC", DELIVERY=delivery,
                          HEADER_DATA={"DELIV_NUMB": delivery},
                          HEADER_CONTROL={"DELIV_NUMB": delivery, "POST_GI_FLG": "X"})
    session.call("BAPI_TRANSACTION_COMMIT")

    assert [m["NUMBER"] for m in issued["RETURN"]] == ["311", "914"]
    [mseg] = read_table(http, "MSEG", ["MBLNR", "MENGE", "DMBTR", "AUFNR"], "BWART = '601'")
    [mbew] = read_table(http, "MBEW", ["STPRS", "PEINH"], "MATNR = 'SP-2000'")
    value = Decimal(mseg["MENGE"]) * Decimal(mbew["STPRS"]) / Decimal(mbew["PEINH"])
    assert Decimal(mseg["DMBTR"]) == value.quantize(Decimal("0.01"))
    [cost] = read_table(http, "COEP", ["WKGBTR", "VRGNG"], f"OBJNR = 'OR{aufnr}'")
    assert (Decimal(cost["WKGBTR"]), cost["VRGNG"]) == (Decimal(mseg["DMBTR"]), "COIN")
    flow = read_table(http, "VBFA", ["VBELV", "VBELN", "VBTYP_N"])
    assert {"VBELV": delivery, "VBELN": mseg["MBLNR"], "VBTYP_N": "R"} in flow

    listed = http.post("/sap/bc/rfc/ZMB51_LIST", json={"ORDERID": aufnr}).json()
    assert [(r["MBLNR"], r["BWART"]) for r in listed["LIST"]] == [(mseg["MBLNR"], "601")]
    page = http.get("/erp/mb51", params={"move_type": "601", "order": aufnr.lstrip("0")})
    assert page.status_code == 200 and mseg["MBLNR"] in page.text and delivery in page.text
    refused = http.get("/erp/mb51", params={"plant": "9999"})
    assert refused.status_code == 400 and "M7 902 Plant 9999 is not defined" in refused.text
    assert http.get("/erp/mb51", params={"date_from": "2026-13-01"}).status_code == 400


def test_the_mb51_command(config: Path) -> None:  # noqa: F811
    with Gateway.open(config) as gateway:
        connection = gateway.destination("ERP")
        mblnr = receipt(connection, "3")  # type: ignore[arg-type]
        connection.close()

    listed = json.loads(sapgw(config, "erp", "mb51", "--movement-type", "561",
                              "--material", "sp-2000", "--json").stdout)
    assert [(r["MBLNR"], r["MENGE"], r["SHKZG"]) for r in listed] == [(mblnr, "3.000", "S")]
    text = sapgw(config, "erp", "mb51", "--plant", "1000").stdout
    assert mblnr in text and "Mat. doc." in text
    empty = sapgw(config, "erp", "mb51", "--movement-type", "601").stdout
    assert "(no material documents found)" in empty
    failed = sapgw(config, "erp", "mb51", "--from", "20261130", "--to", "20261101",
                   check=False)
    assert failed.returncode == 1
    assert "M7 915 Posting date from 20261130 is after posting date to 20261101" in failed.stderr
    bad = sapgw(config, "erp", "mb51", "--from", "2026-02-30", check=False)
    assert bad.returncode == 2 and "is not a date" in bad.stderr
