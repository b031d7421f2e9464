"""`sapgw rar ...` in-process on the databases of config.ini (the RAR system's own rar.db
beside the ERP's): process, contracts, pobs, schedule, post, postings, check, items."""

import json

import pytest

from sapgw.gateway.runtime import Gateway
from tests.erp_stub.rar_support import follower, order_item, send
from tests.gateway.test_cli_rules import _run as run


def test_rar_commands(cli: Gateway, capsys: pytest.CaptureFixture[str]) -> None:
    rar = cli.destination("RAR")
    send(rar, "CA01", [order_item("C1/000001", "90.00", "100.00", service="DEVICE",
                                  quantity="2", start="20270115", end="20270115"),
                       order_item("C1/000002", "30.00", "50.00", start="20270201",
                                  end="20280131")])
    send(rar, "CA02", [follower("CAFI", "F1", "C1/000001", "0", service="DEVICE"),
                       follower("CAFI", "F2", "C9/000001", "0", service="DEVICE",
                                header="D2")])
    code, out, _ = run(["rar", "process"], capsys)
    assert code == 0 and "00000000000001" in out and "FARR_RAI 021" in out
    code, out, _ = run(["rar", "items"], capsys)
    assert code == 0 and "F2" in out and "C9/000001" in out
    code, out, _ = run(["rar", "pobs", "1", "--json"], capsys)
    assert code == 0 and [p["ALLOC_AMT"] for p in json.loads(out)] == ["80.00", "40.00"]
    code, out, _ = run(["rar", "schedule", "1"], capsys)
    assert code == 0 and "3.37" in out
    code, out, _ = run(["rar", "post", "202701"], capsys)
    assert code == 0 and "2027001001" in out and "FARR_RAI 030" in out
    code, out, _ = run(["rar", "postings"], capsys)
    assert code == 0 and " CA " in f" {out} "
    code, _, err = run(["rar", "post", "202703"], capsys)
    assert code == 1 and "sapgw: FARR_RAI 032" in err
    code, _, err = run(["rar", "post", "2027"], capsys)
    assert code == 2 and "YYYYMM" in err
    code, _, err = run(["rar", "contracts", "77"], capsys)
    assert code == 1 and "00000000000077 does not exist" in err
    code, out, _ = run(["rar", "check"], capsys)   # the raw fulfilment F2 is a finding
    assert code == 1 and "RAW" in out and "FARR_RAI 040" in out


def test_rar_contracts_page(sapgw: Gateway) -> None:
    from starlette.testclient import TestClient

    from sapgw.gateway.api.app import create_app

    rar = sapgw.destination("RAR")
    send(rar, "CA01", [order_item("C1/000001", "90.00", "100.00", service="DEVICE",
                                  quantity="2"),
                       order_item("C1/000002", "30.00", "50.00", start="20270201",
                                  end="20280131")])
    rar.call("FARR_RAI_PROCESS")
    with TestClient(create_app(sapgw, run_schedulers=False)) as web:
        page = web.get("/rar/contracts").text
        assert "Contract 00000000000001" in page and "80.00" in page and "-10.00" in page
        assert "001/2028: 3.37" in page
        assert web.get("/rar/contracts", params={"contract": "2"}).status_code == 404
        assert web.get("/rar/contracts", params={"contract": "x" * 20}).status_code == 400
