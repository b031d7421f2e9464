"""IDoc fixtures: generated ACC_DOCUMENT03 IDocs and an in-process HTTP client."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from starlette.testclient import TestClient

from sapgw.clock import Clock
from sapgw.gateway.api.app import create_app
from sapgw.gateway.idoc.model import Idoc, build
from sapgw.gateway.runtime import Gateway

SENDER = {"TABNAM": "EDI_DC40", "DIRECT": "2", "IDOCTYP": "ACC_DOCUMENT03",
          "MESTYP": "ACC_DOCUMENT", "SNDPOR": "SAPEXT", "SNDPRT": "LS", "SNDPRN": "EXTCLNT100",
          "RCVPOR": "SAPGW", "RCVPRT": "LS", "RCVPRN": "ERPCLNT100"}


def acc_document(reference: str, debit: str = "100.00", credit: str = "100.00-",
                 account: str = "0000113100", **control: str) -> Idoc:
    """A G/L posting as a partner sends it (credit with SAP's trailing sign)."""
    return build({**SENDER, **control}, [
        ("E1BPACHE09", {"BUS_ACT": "RFBU", "USERNAME": "IDOC", "COMP_CODE": "1000",
                        "DOC_DATE": "20261122", "PSTNG_DATE": "20261122", "DOC_TYPE": "SA",
                        "REF_DOC_NO": reference, "HEADER_TXT": "IDoc posting"}),
        ("E1BPACGL09", {"ITEMNO_ACC": "0000000001", "GL_ACCOUNT": account,
                        "ITEM_TEXT": 'Bamboo 9/16" & more'}),
        ("E1BPACGL09", {"ITEMNO_ACC": "0000000002", "GL_ACCOUNT": "0000140000"}),
        ("E1BPACCR09", {"ITEMNO_ACC": "0000000001", "CURRENCY": "EUR", "AMT_DOCCUR": debit}),
        ("E1BPACCR09", {"ITEMNO_ACC": "0000000002", "CURRENCY": "EUR", "AMT_DOCCUR": credit}),
    ])


@pytest.fixture
def sapgw_clock() -> Clock:
    return Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))


@pytest.fixture
def web(sapgw: Gateway) -> Iterator[TestClient]:
    with TestClient(create_app(sapgw, run_schedulers=False)) as client:
        yield client


def post_fi(gw: Gateway, reference: str, amount: str = "100.00",
            posting_date: str = "20261122") -> str:
    """Post a balanced G/L document in the ERP stub (over RFC); returns its BELNR."""
    with gw.destination("ERP") as erp:
        result = erp.call(
            "BAPI_ACC_DOCUMENT_POST",
            DOCUMENTHEADER={"COMP_CODE": "1000", "PSTNG_DATE": posting_date,
                            "DOC_DATE": posting_date, "DOC_TYPE": "SA", "USERNAME": "TEST",
                            "REF_DOC_NO": reference, "HEADER_TXT": "for partners"},
            ACCOUNTGL=[{"ITEMNO_ACC": "0000000001", "GL_ACCOUNT": "0000113100",
                        "ITEM_TEXT": "Bank & more"},
                       {"ITEMNO_ACC": "0000000002", "GL_ACCOUNT": "0000140000"}],
            CURRENCYAMOUNT=[{"ITEMNO_ACC": "0000000001", "CURRENCY": "EUR",
                             "AMT_DOCCUR": amount},
                            {"ITEMNO_ACC": "0000000002", "CURRENCY": "EUR",
                             "AMT_DOCCUR": f"-{amount}"}])
        assert result["RETURN"][0]["TYPE"] == "S", result["RETURN"]
        erp.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
    return str(result["OBJ_KEY"])[:10]
