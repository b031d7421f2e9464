"""Against a real `sapgw serve` (uvicorn on 127.0.0.1): schedulers running, JSON RFC sessions."""

from decimal import Decimal

import httpx
import pytest

from sapgw.rfc.errors import ABAPApplicationError, ExternalRuntimeError
from sapgw.rfc.jsonrfc_client import HttpRfcConnection

from .conftest import fund_posting, fund_usage, trade_promotion

pytestmark = pytest.mark.server


def document(amount_debit: str, amount_credit: str, account: str = "0000113100"):
    return {
        "DOCUMENTHEADER": {"BUS_ACT": "RFBU", "USERNAME": "TESTER", "COMP_CODE": "1000",
                           "DOC_DATE": "20261122", "PSTNG_DATE": "20261122", "DOC_TYPE": "SA",
                           "REF_DOC_NO": "DIRECT1", "HEADER_TXT": "Direct posting"},
        "ACCOUNTGL": [{"ITEMNO_ACC": "1", "GL_ACCOUNT": account},
                      {"ITEMNO_ACC": "2", "GL_ACCOUNT": "0000140000"}],
        "CURRENCYAMOUNT": [{"ITEMNO_ACC": "1", "CURRENCY": "EUR", "AMT_DOCCUR": amount_debit},
                           {"ITEMNO_ACC": "2", "CURRENCY": "EUR",
                            "AMT_DOCCUR": amount_credit}]}


def count_documents(connection, reference: str) -> int:
    result = connection.call("RFC_READ_TABLE", QUERY_TABLE="BKPF",
                             FIELDS=[{"FIELDNAME": "BELNR"}],
                             OPTIONS=[{"TEXT": f"XBLNR = '{reference}'"}])
    return len(result["DATA"])


def test_flow_runs_with_schedulers_and_idle_wait(sapgw_server):
    with httpx.Client(base_url=sapgw_server, timeout=60) as http:
        ids = [http.post("/api/bdocs", json=p).json()["bdoc_id"]
               for p in (trade_promotion(), fund_usage(), fund_posting("FPO1"))]
        assert http.post("/api/idle", json={"timeout": 30}).json() == {"idle": True}
        assert [http.get(f"/api/bdocs/{i}").json()["state"] for i in ids] == ["F04"] * 3
        assert http.get("/healthz").json()["status"] == "ok"


def test_unbalanced_and_wrong_bapi_calls_answer_rw_609(sapgw_server):
    with HttpRfcConnection(sapgw_server) as connection:
        result = connection.call("BAPI_ACC_DOCUMENT_POST", **document("100.00", "-90.00",
                                                                      "0000999999"))
        messages = result["RETURN"]
        assert (messages[0]["TYPE"], messages[0]["ID"], messages[0]["NUMBER"]) == (
            "E", "RW", "609")
        found = {(m["ID"], m["NUMBER"]) for m in messages[1:]}
        assert ("RW", "022") in found, messages
        assert ("F5", "153") in found, messages
        assert result["OBJ_KEY"] == "$"
        with pytest.raises(ExternalRuntimeError) as bad:
            connection.call("BAPI_ACC_DOCUMENT_POST", NO_SUCH_PARAMETER="X")
        assert bad.value.key == "RFC_INVALID_PARAMETER"
        with pytest.raises(ABAPApplicationError) as missing:
            connection.call("Z_DOES_NOT_EXIST")
        assert missing.value.key == "FU_NOT_FOUND"


def test_commit_and_rollback_in_one_session(sapgw_server):
    with HttpRfcConnection(sapgw_server) as connection:
        posted = connection.call("BAPI_ACC_DOCUMENT_POST", **document("100.00", "-100.00"))
        assert (posted["RETURN"][0]["TYPE"], posted["RETURN"][0]["NUMBER"]) == ("S", "605")
        assert posted["OBJ_TYPE"] == "BKPFF"
        assert count_documents(connection, "DIRECT1") == 0, "nothing before the commit"
        connection.call("BAPI_TRANSACTION_ROLLBACK")
        connection.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
        assert count_documents(connection, "DIRECT1") == 0, "the rollback discarded it"

        connection.call("BAPI_ACC_DOCUMENT_POST", **document("100.00", "-100.00"))
        connection.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
        assert count_documents(connection, "DIRECT1") == 1
        lines = connection.call("RFC_READ_TABLE", QUERY_TABLE="BSEG", DELIMITER="|",
                                FIELDS=[{"FIELDNAME": "WRBTR"}, {"FIELDNAME": "SHKZG"}])
        assert sorted(row["WA"].replace(" ", "") for row in lines["DATA"]) == [
            "100.00|H", "100.00|S"]
        assert Decimal("100.00") == Decimal(lines["DATA"][0]["WA"].split("|")[0])


def test_erp_clock_moves_for_gateway_and_erp(sapgw_server, sapgw):
    with httpx.Client(base_url=sapgw_server) as http:
        state = http.post("/api/erp/clock", json={"moment": "2027-12-31T10:00:00Z",
                                                  "frozen": True}).json()
        assert state == {"now": "2027-12-31T10:00:00+00:00", "frozen": True}
    assert sapgw.clock.today().isoformat() == "2027-12-31"
    with HttpRfcConnection(sapgw_server) as connection:
        text = connection.call("STFC_CONNECTION", REQUTEXT="x")["RESPTEXT"]
    assert "Date: 20271231" in text
