"""JSON RFC over HTTP, client side: an `RfcConnection` to a separately started system.

A gateway destination of `type = http` uses it. Like one pyrfc `Connection` it is one
session: the first call asks the server for a stateful session and every later call sends
its `sap-contextid`, so `BAPI_..._POST` then `BAPI_TRANSACTION_COMMIT` commit together.
One `httpx.Client` keeps the TCP connection alive. Not thread-safe, like pyrfc's.

Errors come back as the pyrfc-shaped class the server names. Anything that keeps an answer
from arriving (refused, timeout, DNS, a 5xx or a foreign page without an error body) is a
`CommunicationError`, so a queue goes CPICERR and retries. After one, the session is
dropped, as pyrfc reopens its connection: its uncommitted work is gone.

Packed numbers come back as JSON strings; the client turns them back into `Decimal` using
the function's interface, read once per function with RFC_GET_FUNCTION_INTERFACE and cached.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any
from urllib.parse import quote

import httpx

from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import (
    ABAPApplicationError,
    CommunicationError,
    LogonError,
    RFCLibError,
    conversion_failure,
)
from sapgw.rfc.jsonvalues import (
    CONTEXT_ACCEPT,
    CONTEXT_CLOSE,
    CONTEXT_ID,
    RFC_PATH,
    UNIT_PATH,
    UNITS_PATH,
    DecimalFields,
    decimal_fields,
    dumps,
    loads,
    restore_decimals,
)
from sapgw.types import RfcCall

INTERFACE_FUNCTION = "RFC_GET_FUNCTION_INTERFACE"


class HttpRfcConnection(RfcConnection):
    """An RFC connection over JSON RFC (`POST {url}/sap/bc/rfc/{FUNCTION}`).

    `url` is the server's base URL (e.g. `http://127.0.0.1:8080`); `timeout` (seconds) applies
    to the client this connection creates. `user` and `passwd` log on with HTTP Basic, as a
    server with `[auth]` users wants (pyrfc's logon parameters of the same names); a refused
    logon raises `LogonError`. A `client` given by the caller (a shared pool, Starlette's
    TestClient) is used as is, with its own timeout, and left open on `close()`.
    """

    def __init__(self, url: str, *, timeout: float = 30.0, user: str = "", passwd: str = "",
                 client: httpx.Client | None = None) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._display_url = str(httpx.URL(self.url).copy_with(userinfo=b""))  # no password
        self.user = user
        # Without a user, the client's own auth (or the URL's user:password@) applies.
        self._auth: dict[str, httpx.Auth] = {"auth": httpx.BasicAuth(user, passwd)} if user else {}
        self._owns_client = client is None
        self._client = client if client is not None else httpx.Client(timeout=timeout)
        self._context_id: str | None = None
        self._decimals: dict[str, DecimalFields] = {}

    def __repr__(self) -> str:
        user = f" user={self.user}" if self.user else ""
        return f"<HttpRfcConnection {self._display_url}{user} session={self._context_id or '-'}>"

    # -- RfcConnection ---------------------------------------------------------------------
    def _call(self, function: str, params: dict[str, Any]) -> dict[str, Any]:
        result = self._call_in_session(function, params)
        if result and function.upper() != INTERFACE_FUNCTION:
            restore_decimals(result, self._decimal_fields(function.upper()))
        return result

    def _submit(self, tid: str, calls: list[RfcCall], queue: str | None) -> str | None:
        body = {"TID": tid, "QUEUE": queue, "CALLS": [call.to_json() for call in calls]}
        state = self._answer(self._post(UNIT_PATH, body, {})).get("STATE")
        return state if isinstance(state, str) else None

    def submit_units(self, units: list[tuple[str, list[RfcCall], str | None]]
                     ) -> tuple[int, Exception | None]:
        """Send the units in one request (`/sap/bc/rfc_units`): the receiver runs them in
        order, in one transaction where it can. A server without that route gets them one
        by one."""
        body = {"UNITS": [{"TID": tid, "QUEUE": queue, "CALLS": [c.to_json() for c in calls]}
                          for tid, calls, queue in units]}
        try:
            response = self._post(UNITS_PATH, body, {})
            if response.status_code == 404 and b'"error"' not in response.content:
                return super().submit_units(units)
            answer = self._answer(response)
        except RFCLibError as exc:
            return 0, exc
        done, error = answer.get("EXECUTED"), answer.get("ERROR")
        if not isinstance(done, int) or not 0 <= done <= len(units):
            return 0, CommunicationError(f"{self._display_url}{UNITS_PATH} answered "
                                         f"EXECUTED={done!r} for {len(units)} units",
                                         1, "RFC_COMMUNICATION_FAILURE")
        return done, RFCLibError.from_json(error) if isinstance(error, dict) else None

    def _confirm(self, tid: str) -> None:
        self._answer(self._post(f"{UNIT_PATH}/{quote(tid, safe='')}/confirm", {}, {}))

    def close(self) -> None:
        """End the server session (uncommitted work is discarded) and release the client."""
        if self.closed:
            return
        if self._context_id is not None:
            headers = {CONTEXT_ID: self._context_id, CONTEXT_CLOSE: "X"}
            # If the server is gone, so is the session (or it expires there): nothing to do.
            with suppress(httpx.HTTPError):
                self._client.post(self._url(f"{RFC_PATH}/RFC_PING"), content=b"{}",
                                  headers=headers, **self._auth)
            self._context_id = None
        if self._owns_client:
            self._client.close()
        super().close()

    # -- HTTP ------------------------------------------------------------------------------
    def _call_in_session(self, function: str, params: dict[str, Any]) -> dict[str, Any]:
        headers = ({CONTEXT_ID: self._context_id} if self._context_id is not None
                   else {CONTEXT_ACCEPT: "header"})
        try:
            response = self._post(f"{RFC_PATH}/{quote(function, safe='')}", params, headers)
            self._context_id = response.headers.get(CONTEXT_ID, self._context_id)
            return self._answer(response)
        except CommunicationError:
            self._context_id = None  # like pyrfc's reopen: the session and its LUW are gone
            raise

    def _decimal_fields(self, function: str) -> DecimalFields:
        fields = self._decimals.get(function)
        if fields is None:
            try:
                described = self._call_in_session(INTERFACE_FUNCTION, {"FUNCNAME": function})
                fields = decimal_fields(described.get("PARAMS") or [])
            except ABAPApplicationError:  # a server without the function: results stay as sent
                fields = {}
            self._decimals[function] = fields
        return fields

    def _url(self, path: str) -> str:
        return f"{self.url}{path}"

    def _post(self, path: str, payload: dict[str, Any], headers: dict[str, str]
              ) -> httpx.Response:
        try:
            content = dumps(payload)
        except TypeError as exc:
            raise conversion_failure(str(exc)) from None
        try:
            return self._client.post(self._url(path), content=content, **self._auth,
                                     headers={"content-type": "application/json", **headers})
        except httpx.TimeoutException as exc:
            limit = self._client.timeout.read
            within = "in time" if limit is None else f"within {limit:g} s"
            raise self._unreachable(path, f"no answer {within} ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise self._unreachable(path, f"{type(exc).__name__}: {exc}") from exc

    def _answer(self, response: httpx.Response) -> dict[str, Any]:
        """The JSON result of a 200, or the error the body names, raised."""
        try:
            body = loads(response.content)
        except ValueError:
            body = None
        if response.status_code == 200 and isinstance(body, dict):
            return body
        if isinstance(body, dict) and isinstance(body.get("error"), str):
            raise RFCLibError.from_json(body)
        snippet = response.text[:200].strip() or "empty body"
        if response.status_code in (401, 403):  # e.g. a proxy's login page
            raise LogonError(f"JSON RFC partner {self._display_url} refused the logon: HTTP "
                             f"{response.status_code} {response.reason_phrase} ({snippet})")
        raise self._unreachable(
            response.request.url.path,
            f"HTTP {response.status_code} {response.reason_phrase} without an RFC answer "
            f"({snippet})")

    def _unreachable(self, path: str, why: str) -> CommunicationError:
        return CommunicationError(f"JSON RFC partner {self._display_url}{path} not reachable: "
                                  f"{why}", 1, "RFC_COMMUNICATION_FAILURE")
