"""`sapgw erp kka2|kkai|ko88|ko8g` as a person runs them against the databases of config.ini:
an order with hours on it, analysed and settled, the log in SAP's message terms."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from sapgw.gateway.runtime import Gateway
from tests.scenarios.test_cli import ROOT, sapgw


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.ini"
    shutil.copy(ROOT / "config.ini", path)
    return path


def order_with_hours(config: Path) -> tuple[str, str]:
    """A released order with RA key CRMWIP and a settlement rule to cost center 1000, and
    3 hours at the planned price 85.00 in today's period: (order, YYYY/PP)."""
    with Gateway.open(config) as gateway:
        today = gateway.clock.today()
        conn = gateway.destination("ERP")
        try:
            year, date = f"{today.year:04d}", today.strftime("%Y%m%d")
            conn.call("BAPI_ACT_PRICE_CHECK_AND_POST", HEADER_INFO={
                "CO_AREA": "1000", "FISC_YEAR": year, "PERIOD_FROM": "001",
                "PERIOD_TO": "012", "VERSION": "000", "PLAN_CURRTYPE": "C"},
                IDX_STRUCTURE=[{"OBJECT_INDEX": "000001", "VALUE_INDEX": "000001"}],
                OBJECT=[{"OBJECT_INDEX": "000001", "COSTCENTER": "1000", "ACTTYPE": "SRVHR"}],
                TOT_VALUE=[{"VALUE_INDEX": "000001", "PRICE_FIX": Decimal("40"),
                            "PRICE_VAR": Decimal("45"), "PRICE_UNIT": Decimal(1),
                            "CURRENCY": "EUR"}])
            conn.call("BAPI_TRANSACTION_COMMIT")
            aufnr = conn.call("BAPI_INTERNALORDER_CREATE", I_MASTER_DATA={
                "ORDER_TYPE": "SAPS", "ORDER_NAME": "CLI repair", "CO_AREA": "1000",
                "RES_ANAL_KEY": "CRMWIP"})["ORDERID"]
            conn.call("BAPI_TRANSACTION_COMMIT")
            conn.call("ZKO_RULE_MAINTAIN", ORDERID=aufnr, PROFILE="CRMSRV", COSTCENTER="1000")
            conn.call("BAPI_TRANSACTION_COMMIT")
            posted = conn.call("BAPI_ACC_ACTIVITY_ALLOC_POST", DOC_HEADER={
                "CO_AREA": "1000", "POSTGDATE": date, "USERNAME": "CATS"}, DOC_ITEMS=[{
                    "SEND_CCTR": "1000", "ACTTYPE": "SRVHR", "ACTVTY_QTY": Decimal(3),
                    "REC_ORDER": aufnr}])
            assert [m["TYPE"] for m in posted["RETURN"]] == ["S"], posted["RETURN"]
            conn.call("BAPI_TRANSACTION_COMMIT")
        finally:
            conn.close()
    return aufnr, f"{today.year}/{today.month:02d}"


def test_analyse_and_settle_from_the_command_line(config: Path) -> None:
    aufnr, period = order_with_hours(config)

    shown = sapgw(config, "erp", "kka2", aufnr.lstrip("0"), "--period", period).stdout
    assert "S ZRA 005" in shown and "WIPR" in shown and "255.00" in shown
    collective = json.loads(sapgw(config, "erp", "kkai", "--period", period, "--json").stdout)
    assert collective["RETURN"][-1]["NUMBER"] == "010"
    settled = sapgw(config, "erp", "ko88", aufnr, "--period", period).stdout
    assert "S KD 005" in settled and "0000079000" in settled
    again = sapgw(config, "erp", "ko8g", "--period", period).stdout
    assert "S KD 920" in again

    refused = sapgw(config, "erp", "ko88", "999999", "--period", period, check=False)
    assert refused.returncode == 1 and "E KD 904" in refused.stdout
    wrong = sapgw(config, "erp", "kka2", aufnr, "--period", "11/2026", check=False)
    assert wrong.returncode == 2


def test_reverse_the_settlement_and_cancel_the_results(config: Path) -> None:
    aufnr, period = order_with_hours(config)
    sapgw(config, "erp", "kka2", aufnr, "--period", period)
    sapgw(config, "erp", "ko88", aufnr, "--period", period)

    reversed_ = sapgw(config, "erp", "ko88", aufnr, "--period", period, "--reverse").stdout
    assert "S KD 007" in reversed_ and "S KD 008" in reversed_ and "0000079000" in reversed_
    again = sapgw(config, "erp", "ko88", aufnr, "--period", period, "--reverse", check=False)
    assert again.returncode == 1 and "E KD 930" in again.stdout
    cancelled = json.loads(sapgw(config, "erp", "kka2", aufnr, "--period", period, "--cancel",
                                 "--json").stdout)
    assert [m["NUMBER"] for m in cancelled["RETURN"]] == ["015", "016"]
    assert [(r["CATEGORY"], r["PERIOD_VALUE"]) for r in cancelled["RESULTS"]] == [
        ("WIPR", "-255.00")], cancelled["RESULTS"]
    nothing = sapgw(config, "erp", "ko88", aufnr, "--period", period).stdout
    assert "S KD 920" in nothing
    no_test = sapgw(config, "erp", "kka2", aufnr, "--period", period, "--cancel", "--test",
                    check=False)
    assert no_test.returncode == 2 and "--cancel" in no_test.stderr
