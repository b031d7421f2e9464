"""One JSON RFC session with a sapgw server: what an SDK connection handle is to pyrfc.

A pyrfc `Connection` is one ABAP user session: a BAPI and BAPI_TRANSACTION_COMMIT called on
it share the LUW. Over JSON RFC that is a stateful session (docs/JSON_RFC.md, Sessions): the
session is opened at logon (RFC_PING with `sap-contextid-accept`), every call carries its
`sap-contextid`, and closing sends `sap-contextid-close`. tRFC/qRFC units go to
`/sap/bc/rfc_unit`, outside the session, as the protocol wants.

Errors are converted here, once: a server's error body becomes the pyrfc class it names,
every field a string as the SDK fills RFC_ERROR_INFO; no answer at all is a
CommunicationError; a time-out or `cancel()` is RFC_CANCELED (code 7).
"""

from __future__ import annotations

import itertools
from contextlib import suppress
from typing import Any
from urllib.parse import quote

import httpx

from sapgw.pyrfc._exception import (
    ERROR_CLASSES,
    CommunicationError,
    ExternalRuntimeError,
    LogonError,
    RFCLibError,
)
from sapgw.rfc.jsonvalues import (
    CONTEXT_ACCEPT,
    CONTEXT_CLOSE,
    CONTEXT_ID,
    RFC_PATH,
    UNIT_PATH,
    dumps,
    loads,
)

_handles = itertools.count(0x7F0000001000, 0x10)  # handles look like the SDK's pointers
_FIELDS = ("message", "code", "key", "msg_class", "msg_type", "msg_number", "msg_v1",
           "msg_v2", "msg_v3", "msg_v4")


class Canceled(Exception):
    """The call was cancelled (timeout or `cancel()`); the session is gone."""


def error_from_json(body: dict[str, Any]) -> RFCLibError:
    """A server's error body as the pyrfc class it names (ExternalRuntimeError if unknown)."""
    cls = ERROR_CLASSES.get(str(body.get("error")), ExternalRuntimeError)
    values = {name: body.get(name) for name in _FIELDS}
    fields = {name: "" if value is None else str(value) for name, value in values.items()
              if name != "code"}
    code = values["code"] if isinstance(values["code"], int) else 28
    return cls(code=code, **fields)


class Session:
    """A JSON RFC session at `url`, logged on as `user` (HTTP Basic when a user is given)."""

    def __init__(self, url: str, user: str, passwd: str, timeout: float | None) -> None:
        self.url = url
        self.user = user
        self._auth = httpx.BasicAuth(user, passwd) if user else None
        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=30.0))
        self._context_id: str | None = None
        self.handle = next(_handles)
        self.canceled = False

    def open(self) -> None:
        """Log on: open the server session (checks reachability and the password)."""
        self._post(f"{RFC_PATH}/RFC_PING", {}, {CONTEXT_ACCEPT: "header"}, None)

    def call(self, function: str, params: dict[str, Any], timeout: float | None
             ) -> dict[str, Any]:
        headers = {CONTEXT_ID: self._context_id} if self._context_id else {CONTEXT_ACCEPT:
                                                                           "header"}
        return self._post(f"{RFC_PATH}/{quote(function, safe='')}", params, headers, timeout)

    def submit_unit(self, tid: str, queue: str | None, calls: list[list[Any]]
                    ) -> dict[str, Any]:
        return self._post(UNIT_PATH, {"TID": tid, "QUEUE": queue, "CALLS": calls}, {}, None)

    def confirm_unit(self, tid: str) -> None:
        self._post(f"{UNIT_PATH}/{quote(tid, safe='')}/confirm", {}, {}, None)

    def close(self) -> None:
        """End the server session (uncommitted work is discarded) and the HTTP client."""
        if self._context_id is not None and not self.canceled:
            with suppress(httpx.HTTPError):
                self._client.post(f"{self.url}{RFC_PATH}/RFC_PING", content=b"{}",
                                  headers={CONTEXT_ID: self._context_id, CONTEXT_CLOSE: "X"},
                                  auth=self._auth or httpx.USE_CLIENT_DEFAULT)
        self._context_id = None
        self._client.close()

    def abandon(self) -> None:
        """Close the HTTP client without asking the server (a connection being collected):
        the server discards the session when it runs idle."""
        self._context_id = None
        self._client.close()

    def cancel(self) -> None:
        """Abort what runs (from another thread): the session is abandoned on the server,
        which discards it when it runs idle."""
        self.canceled = True
        self._client.close()

    # -- HTTP ------------------------------------------------------------------------------
    def _post(self, path: str, payload: dict[str, Any], headers: dict[str, str],
              timeout: float | None) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if timeout is not None:
            extra["timeout"] = httpx.Timeout(timeout, connect=30.0)
        try:
            response = self._client.post(
                f"{self.url}{path}", content=dumps(payload), auth=self._auth
                or httpx.USE_CLIENT_DEFAULT, headers={"content-type": "application/json",
                                                      **headers}, **extra)
        except httpx.TimeoutException as exc:
            raise Canceled(f"no answer in time ({type(exc).__name__})") from exc
        except (httpx.HTTPError, RuntimeError) as exc:  # RuntimeError: client closed
            if self.canceled:
                raise Canceled("canceled") from exc
            raise CommunicationError(f"partner '{self.url}' not reached: "
                                     f"{type(exc).__name__}: {exc}", 1,
                                     "RFC_COMMUNICATION_FAILURE") from exc
        self._context_id = response.headers.get(CONTEXT_ID, self._context_id)
        return self._answer(response)

    def _answer(self, response: httpx.Response) -> dict[str, Any]:
        try:
            body = loads(response.content)
        except ValueError:
            body = None
        if response.status_code == 200 and isinstance(body, dict):
            return body
        if isinstance(body, dict) and isinstance(body.get("error"), str):
            raise error_from_json(body)
        if response.status_code in (401, 403):
            raise LogonError(f"Name or password is incorrect (repeat logon): HTTP "
                             f"{response.status_code} from {self.url}")
        raise CommunicationError(f"partner '{self.url}' answered HTTP {response.status_code} "
                                 f"without an RFC answer", 1, "RFC_COMMUNICATION_FAILURE")
