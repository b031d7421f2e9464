"""The proof: zeep loads our WSDL from a real uvicorn server and calls the ERP stub through it."""

from collections.abc import Iterator
from decimal import Decimal

import pytest
import zeep
from starlette.applications import Starlette
from zeep.exceptions import Fault

from sapgw.erp_stub import create_system
from sapgw.pytest_plugin import live_server
from sapgw.rfc.soap_server import soap_routes


@pytest.fixture
def server_url(tmp_path, clock) -> Iterator[str]:
    erp = create_system(f"sqlite:///{tmp_path}/erp.db", clock=clock)
    routes = soap_routes(erp.connect, lambda name: erp.registry.get(name).interface,
                         erp.registry.names)
    try:
        with live_server(Starlette(routes=routes)) as url:
            yield url
    finally:
        erp.db.dispose()


@pytest.mark.server
def test_client_service_reaches_every_function_of_the_wsdl(server_url):
    """The obvious call, `client.service.FUNC(...)`, works for each function asked for."""
    wsdl = (f"{server_url}/sap/bc/soap/wsdl11?sap-client=100"
            f"&services=BAPI_ACC_DOCUMENT_CHECK,RFC_READ_TABLE,STFC_CONNECTION")
    client = zeep.Client(wsdl, transport=zeep.Transport(timeout=10))
    assert client.service.STFC_CONNECTION(REQUTEXT="Hi").ECHOTEXT == "Hi"
    table = client.service.RFC_READ_TABLE(QUERY_TABLE="T001", ROWCOUNT=1)
    assert table.FIELDS.item[0].FIELDNAME == "BUKRS"
    check = client.service.BAPI_ACC_DOCUMENT_CHECK(DOCUMENTHEADER={"COMP_CODE": "9999"})
    assert check.RETURN.item[0].TYPE == "E"


@pytest.mark.server
def test_zeep_calls_the_erp_stub_through_our_wsdl(server_url):
    wsdl = (f"{server_url}/sap/bc/soap/wsdl11?sap-client=100"
            f"&services=RFC_READ_TABLE,BAPI_ACC_DOCUMENT_CHECK")
    client = zeep.Client(wsdl, transport=zeep.Transport(timeout=10))
    read_table = client.bind("RFC_READ_TABLEService", "RFC_READ_TABLEPortType")
    check = client.bind("BAPI_ACC_DOCUMENT_CHECKService", "BAPI_ACC_DOCUMENT_CHECKPortType")

    table = read_table.RFC_READ_TABLE(QUERY_TABLE="NRIV", ROWCOUNT=5)
    assert [row.FIELDNAME for row in table.FIELDS.item][:4] == [
        "OBJECT", "SUBOBJECT", "NRRANGENR", "TOYEAR"]
    assert table.FIELDS.item[3].TYPE == "N"

    result = check.BAPI_ACC_DOCUMENT_CHECK(
        DOCUMENTHEADER={"BUS_ACT": "RFBU", "USERNAME": "TESTER", "COMP_CODE": "1000",
                        "DOC_DATE": "2026-11-22", "PSTNG_DATE": "2026-11-22",
                        "DOC_TYPE": "SA", "REF_DOC_NO": "SOAP1"},
        ACCOUNTGL={"item": [{"ITEMNO_ACC": "1", "GL_ACCOUNT": "0000113100"},
                            {"ITEMNO_ACC": "2", "GL_ACCOUNT": "0000140000"}]},
        CURRENCYAMOUNT={"item": [
            {"ITEMNO_ACC": "1", "CURRENCY": "EUR", "AMT_DOCCUR": Decimal("100.00")},
            {"ITEMNO_ACC": "2", "CURRENCY": "EUR", "AMT_DOCCUR": Decimal("-100.00")}]})
    messages = result.RETURN.item
    assert (messages[0].TYPE, messages[0].ID, messages[0].NUMBER) == ("S", "RW", "614")
    amounts = result.CURRENCYAMOUNT.item
    assert [a.AMT_DOCCUR for a in amounts] == [Decimal("100.0000"), Decimal("-100.0000")]
    assert [a.ITEMNO_ACC for a in amounts] == ["0000000001", "0000000002"]

    unbalanced = check.BAPI_ACC_DOCUMENT_CHECK(
        DOCUMENTHEADER={"COMP_CODE": "1000", "PSTNG_DATE": "2026-11-22", "DOC_TYPE": "SA",
                        "USERNAME": "TESTER", "BUS_ACT": "RFBU"},
        ACCOUNTGL={"item": [{"ITEMNO_ACC": "1", "GL_ACCOUNT": "0000113100"}]},
        CURRENCYAMOUNT={"item": [{"ITEMNO_ACC": "1", "CURRENCY": "EUR",
                                  "AMT_DOCCUR": Decimal("1.00")}]})
    assert (unbalanced.RETURN.item[0].TYPE, unbalanced.RETURN.item[0].NUMBER) == ("E", "609")

    with pytest.raises(Fault) as fault:
        read_table.RFC_READ_TABLE(QUERY_TABLE="ZNOPE")
    assert fault.value.message == "TABLE_NOT_AVAILABLE"
    assert fault.value.detail[0].findtext("Name") == "TABLE_NOT_AVAILABLE"
