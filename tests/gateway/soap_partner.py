"""A SOAP RFC partner for `responses`: our own WSDL and envelope writer over an ERP stub.

`responses` stands in for the partner's HTTP server; what it answers is made by sapgw's own
SOAP server functions (`answer_wsdl`, `answer_calls`, `answer_unit`), so the destination is
tested against the same wire format zeep reads from `sapgw serve`. `mode` makes it fail:
"fault" answers ABAP exceptions for `failing` functions, "down" refuses connections,
"proxy" answers 502 with an HTML page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
import responses

from sapgw.clock import Clock
from sapgw.erp_stub import ErpSystem, create_system
from sapgw.rfc.errors import ABAPApplicationError
from sapgw.rfc.soap_server import answer_calls, answer_wsdl
from sapgw.rfc.units import state_headers, submit
from sapgw.types import RfcCall

URL = "http://erp.partner:8000/sap/bc/soap/rfc"
WSDL_URL = "http://erp.partner:8000/sap/bc/soap/wsdl11"
CONFIRM_PREFIX = "http://erp.partner:8000/sap/bc/rfc_unit/"


@contextmanager
def partner_erp(path: Path, clock: Clock) -> Iterator[ErpSystem]:
    """The partner's ERP stub on a SQLite file."""
    system = create_system(f"sqlite:///{path}", clock=clock)
    try:
        yield system
    finally:
        system.db.dispose()


@contextmanager
def soap_partner(erp: ErpSystem) -> Iterator[SoapPartner]:
    """`responses` answering for the partner at URL while the block runs."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield SoapPartner(erp, mock)


class SoapPartner:
    def __init__(self, erp: ErpSystem, mock: responses.RequestsMock) -> None:
        self.erp = erp
        self.mode = "ok"
        self.failing: set[str] = set()
        self.requests: list[requests.PreparedRequest] = []
        self.knows_units = True  # False: like SAP's own service, TID headers are ignored
        self.canned: Callable[[list[RfcCall]], list[dict[str, Any]]] | None = None
        mock.add_callback(responses.GET, WSDL_URL, callback=self._wsdl)
        mock.add_callback(responses.POST, URL, callback=self._call)
        mock.add_callback(responses.POST, _prefix(CONFIRM_PREFIX), callback=self._confirm)

    def interface(self, name: str) -> Any:
        return self.erp.registry.get(name).interface

    def _wsdl(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        services = parse_qs(urlsplit(request.url or "").query).get("services", [""])[0]
        status, content, media_type = answer_wsdl(self.interface, self.erp.registry.names,
                                                  services, URL)
        return status, {"Content-Type": media_type}, content

    def _call(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        self.requests.append(request)
        if self.mode == "down":
            raise requests.ConnectionError("Connection refused")
        if self.mode == "proxy":
            return 502, {"Content-Type": "text/html"}, b"<html>Bad Gateway</html>"
        body = request.body if isinstance(request.body, bytes) else str(request.body).encode()
        tid = request.headers.get("sap-trfc-tid")
        if tid is not None and self.knows_units:
            outcome: dict[str, Any] = {}

            def run_unit(calls: list[RfcCall]) -> list[dict[str, Any]]:
                self._refuse_failing(calls)
                outcome.update(submit(self.erp.connect, str(tid), request.headers.get(
                    "sap-qrfc-queue"), calls))
                return [{} for _ in calls]

            status, content = answer_calls(self.interface, body, run_unit, unit=True)
            headers = state_headers(outcome) if outcome else {}
            return status, {"Content-Type": "text/xml", **headers}, content
        status, content = answer_calls(self.interface, body, self._run)
        return status, {"Content-Type": "text/xml"}, content

    def _refuse_failing(self, calls: list[RfcCall]) -> None:
        for call in calls:
            if call.function in self.failing:
                raise ABAPApplicationError("Posting period 011 2026 is not open", 5,
                                           "PERIOD_CLOSED", "F5", "E", "201")

    def _run(self, calls: list[RfcCall]) -> list[dict[str, Any]]:
        self._refuse_failing(calls)
        if self.canned is not None:
            return self.canned(calls)
        with self.erp.connect() as conn:
            return [conn.call(call.function, **call.params) for call in calls]

    def _confirm(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        tid = (request.url or "").rstrip("/").split("/")[-2]
        self.erp.confirm_unit(tid)
        return 200, {"Content-Type": "application/json"}, b'{"STATE": "CONFIRMED"}'


def _prefix(url: str) -> re.Pattern[str]:
    return re.compile(re.escape(url) + r".*")
