"""Revenue accounting items built in tests as FI-CA sends them (rar_interface.md), and the
calls of the RAR system's functions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sapgw.erp_stub.kernel.system import LocalConnection

SOURCE = {"SRCDOC_COMP": "CA", "SRCDOC_LOGSYS": "ERPCLNT100"}
STAMP = Decimal("20270101000000")


def order_item(ident: str, price: str, ssp: str | None = None, *, service: str = "RECFEE",
               start: str = "20270101", end: str = "20271231", quantity: str = "1",
               refid: str = "C1", header: str = "C1", stamp: Decimal = STAMP,
               chrsn: str = "", effective: str = "", estimated: bool = False,
               bukrs: str = "1000", currency: str = "EUR", reftype: str = "VT"
               ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One order item (CAOI) with its price condition and, given an SSP, its SSP condition."""
    key = {**SOURCE, "SRCDOC_TYPE": "CAOI", "SRCDOC_ID": ident, "TIMESTAMP_UTC": stamp}
    main = {**key, "HEADER_ID": header, "ITEM_ID": ident[-6:], "SERVICE_TYPE": service,
            "BUKRS": bukrs, "BETRW": Decimal(price), "WAERS": currency,
            "QUANTITY": Decimal(quantity), "QUANTITY_UNIT": "EA", "START_DATE": start,
            "END_DATE": end, "EFFECTIVE_DATE": effective or start, "RA_REFTYPE": reftype,
            "RA_REFID": refid, "CHRSN": chrsn, "PARTNER": "0000200000",
            "X_ESTIMATED_QUAN": "X" if estimated else ""}
    conditions = [{**key, "SERVICE_TYPE": service, "CONDITION_TYPE": "CTPR",
                   "BETRW": Decimal(price), "WAERS": currency, "MAIN_COND_TYPE": "X"}]
    if ssp is not None:
        conditions.append({**key, "SERVICE_TYPE": service, "CONDITION_TYPE": "CSSP",
                           "BETRW": Decimal(ssp), "WAERS": currency, "STATISTIC": "X"})
    return main, conditions


def follower(kind: str, ident: str, origin: str, amount: str, *, quantity: str = "1",
             date: str = "20270115", service: str = "RECFEE", header: str = "D1",
             stamp: Decimal = STAMP, bukrs: str = "1000") -> dict[str, Any]:
    """A fulfilment (CAFI) or invoice (CAIN) item of the order item `origin`."""
    return {**SOURCE, "SRCDOC_TYPE": kind, "SRCDOC_ID": ident, "TIMESTAMP_UTC": stamp,
            "HEADER_ID": header, "ORIGDOC_TYPE": "CAOI", "ORIGDOC_ID": origin,
            "SERVICE_TYPE": service, "BUKRS": bukrs, "BETRW": Decimal(amount), "WAERS": "EUR",
            "QUANTITY": Decimal(quantity), "EVENT_DATE": date if kind == "CAFI" else "",
            "POSTING_DATE": date, "RA_REFTYPE": "VT", "RA_REFID": "C1"}


def send(conn: LocalConnection | Any, rai_class: str, items: list[tuple[dict[str, Any],
         list[dict[str, Any]]] | dict[str, Any]], test: str = "") -> list[dict[str, Any]]:
    mains = [i[0] if isinstance(i, tuple) else i for i in items]
    conditions = [c for i in items if isinstance(i, tuple) for c in i[1]]
    result = conn.call(f"/1RA/{rai_class}_RAI_CREATE_API", IV_TEST=test, IT_MAIN_ITEMS=mains,
                       IT_CONDITIONS=conditions)
    return list(result["ET_RETURN"])


def process(conn: Any) -> dict[str, Any]:
    conn.call("FARR_RAI_TRANSFER")
    return dict(conn.call("FARR_RAI_PROCESS"))


def read(conn: Any, contract: str = "") -> dict[str, Any]:
    return dict(conn.call("FARR_CONTRACT_READ", IV_CONTRACT_ID=contract))


def post(conn: Any, period: str, bukrs: str = "1000", test: str = "") -> dict[str, Any]:
    """Posting run of YYYYMM."""
    return dict(conn.call("FARR_REVENUE_POSTING", IV_BUKRS=bukrs, IV_GJAHR=period[:4],
                          IV_POPER=period[4:], IV_TEST=test))
