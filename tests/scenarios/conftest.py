"""Scenario fixtures: the REST/RFC app in-process over HTTP, and BDoc payloads of seed 004."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from starlette.testclient import TestClient

from sapgw.clock import Clock
from sapgw.gateway.api.app import create_app
from sapgw.gateway.runtime import Gateway


@pytest.fixture
def sapgw_clock() -> Clock:
    return Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))


@pytest.fixture
def http(sapgw: Gateway) -> Iterator[TestClient]:
    """HTTP against the gateway; queues run only when the test calls run_until_idle()."""
    with TestClient(create_app(sapgw, run_schedulers=False)) as client:
        yield client


def trade_promotion(tpm_id: str = "TPM1") -> dict[str, Any]:
    return {"type": "CRM_MKTPL", "sender": "CRM", "data": {"HEADER": {
        "TPM_ID": tpm_id, "DESCRIPTION": "Summer promotion", "COMP_CODE": "1000",
        "SALES_ORG": "1000", "VALID_FROM": "2026-06-01", "VALID_TO": "2026-12-31"}}}


def fund_usage(fu_id: str = "1791", tpm_id: str = "TPM1", expense_type: str = "TPM1"
               ) -> dict[str, Any]:
    return {"type": "CRM_FM_FU", "sender": "CRM", "data": {
        "HEADER": {"FU_ID": fu_id, "FUND_ID": "FUND1", "FUND_TYPE": "TPM", "TPM_ID": tpm_id,
                   "COMP_CODE": "1000", "SALES_ORG": "1000", "CURRENCY": "EUR",
                   "EXPENSE_TYPE": expense_type, "DESCRIPTION": "Fund usage"},
        "ITEMS": [{"ITEM_ID": "10", "AMOUNT": "1000.00"}]}}


def fund_posting(fpo_id: str, amount: str = "250.00", fu_id: str = "1791",
                 reverses: str = "") -> dict[str, Any]:
    return {"type": "CRM_FM_FPO", "sender": "CRM", "data": {"HEADER": {
        "FPO_ID": fpo_id, "POSTING_TYPE": "REVERSAL" if reverses else "ACCRUAL",
        "POSTING_DATE": "2026-11-22", "FU_ID": fu_id, "FU_ITEM": "10", "AMOUNT": amount,
        "CURRENCY": "EUR", "EXPENSE_TYPE": "TPM1", "SALES_ORG": "1000", "COMP_CODE": "1000",
        "RUN_ID": "RUN1", "REVERSED_FPO_ID": reverses}}}


def read_table(client: TestClient, table: str, fields: list[str], where: str = ""
               ) -> list[dict[str, str]]:
    """RFC_READ_TABLE over JSON RFC, rows split into dicts by the returned field layout."""
    response = client.post("/sap/bc/rfc/RFC_READ_TABLE", json={
        "QUERY_TABLE": table, "DELIMITER": "|", "FIELDS": [{"FIELDNAME": f} for f in fields],
        "OPTIONS": [{"TEXT": where}] if where else []})
    assert response.status_code == 200, response.text
    result = response.json()
    names = [f["FIELDNAME"] for f in result["FIELDS"]]
    return [dict(zip(names, (v.strip() for v in row["WA"].split("|")), strict=False))
            for row in result["DATA"]]
