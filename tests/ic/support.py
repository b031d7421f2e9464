"""Partners and postings the CDB and Accounting IC tests share, sent through public interfaces."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sapgw.gateway.runtime import Gateway

NUMBER = "0000900100"  # account group 0002: the ERP takes CRM's number (external interval)


def customer(city: str = "Hamburg", company: list[dict[str, str]] | None = None,
             number: str = NUMBER, name: str = "Aurora Tools") -> dict[str, Any]:
    """A BUPA_MAIN from CRM: customer role, company code 1000 with dunning, sales area."""
    return {"HEADER": {"KUNNR": number, "PARTNER": number, "BU_GROUP": "0002",
                       "KTOKD": "0002", "NAME1": name, "LAND1": "DE", "ORT01": city,
                       "PSTLZ": "20095", "STRAS": "Kaiserkai 1", "SPRAS": "D"},
            "COMPANY": company if company is not None else [
                {"BUKRS": "1000", "AKONT": "140000", "ZTERM": "0001", "MAHNA": "0001"}],
            "SALES": [{"VKORG": "1000", "VTWEG": "10", "SPART": "00", "WAERS": "EUR"}]}


def erp_rows(gw: Gateway, table: str, where: str) -> list[dict[str, str]]:
    """RFC_READ_TABLE rows as {field: value}, as any RFC client reads the ERP."""
    with gw.served_rfc.connect() as erp:
        answer = erp.call("RFC_READ_TABLE", QUERY_TABLE=table, DELIMITER="|",
                          OPTIONS=[{"TEXT": where}])
    names = [f["FIELDNAME"] for f in answer["FIELDS"]]
    return [dict(zip(names, (v.strip() for v in row["WA"].split("|")), strict=True))
            for row in answer["DATA"]]


def invoice(gw: Gateway, kunnr: str, amount: str, date: str = "20261120",
            reference: str = "INV-1") -> dict[str, Any]:
    """An FI invoice to the customer (Dr customer / Cr revenue), committed."""
    with gw.served_rfc.connect() as erp:
        result = erp.call("BAPI_ACC_DOCUMENT_POST", DOCUMENTHEADER={
            "COMP_CODE": "1000", "PSTNG_DATE": date, "DOC_DATE": date, "DOC_TYPE": "DR",
            "REF_DOC_NO": reference, "HEADER_TXT": "Invoice", "USERNAME": "TESTER"},
            ACCOUNTRECEIVABLE=[{"ITEMNO_ACC": "1", "CUSTOMER": kunnr, "ITEM_TEXT": reference}],
            ACCOUNTGL=[{"ITEMNO_ACC": "2", "GL_ACCOUNT": "0000800000"}],
            CURRENCYAMOUNT=[
                {"ITEMNO_ACC": "1", "CURRENCY": "EUR", "AMT_DOCCUR": Decimal(amount)},
                {"ITEMNO_ACC": "2", "CURRENCY": "EUR", "AMT_DOCCUR": -Decimal(amount)}])
        erp.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
    assert result["RETURN"][0]["TYPE"] == "S", result["RETURN"]
    return result
