"""One client API over two transports: in-process (`LocalClient`) and HTTP (`HttpClient`).

The CLI and the demo speak to the gateway through it, so every command works against a
running `sapgw serve` (--url) or directly on the configured databases.
"""

from __future__ import annotations

import getpass
from typing import Any, Protocol

import httpx

from sapgw.gateway.audit import AuditedActions
from sapgw.gateway.runtime import Gateway
from sapgw.rfc.jsonvalues import dumps, loads


class ClientError(Exception):
    """The gateway refused a request; the message says why."""


class Client(Protocol):
    def send(self, bdoc_type: str, data: Any, sender: str = "CRM") -> dict[str, Any]: ...
    def wait_idle(self, timeout: float = 60.0) -> None: ...
    def bdoc(self, bdoc_id: str) -> dict[str, Any]: ...
    def bdocs(self, **filters: Any) -> dict[str, Any]: ...
    def queues(self, direction: str) -> list[dict[str, Any]]: ...
    def queue(self, name: str, direction: str) -> dict[str, Any]: ...
    def bdoc_action(self, bdoc_id: str, action: str) -> dict[str, Any]: ...
    def queue_action(self, name: str, direction: str, action: str) -> dict[str, Any]: ...
    def change_data(self, bdoc_id: str, changes: dict[str, str],
                    reprocess: bool = False) -> dict[str, Any]: ...
    def rfc(self, function: str, **params: Any) -> dict[str, Any]: ...
    def close(self) -> None: ...


class LocalClient:
    """Works on the databases of config.ini; runs the queues itself when asked to wait."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.audited = AuditedActions(gateway)
        self.user = f"cli:{getpass.getuser()}"

    def send(self, bdoc_type: str, data: Any, sender: str = "CRM") -> dict[str, Any]:
        return self.gateway.send(bdoc_type, data, sender)

    def wait_idle(self, timeout: float = 60.0) -> None:
        self.gateway.run_until_idle(timeout)

    def bdoc(self, bdoc_id: str) -> dict[str, Any]:
        return self.gateway.bdoc(bdoc_id.upper())

    def bdocs(self, **filters: Any) -> dict[str, Any]:
        return self.gateway.bdocs_list(**filters)

    def queues(self, direction: str) -> list[dict[str, Any]]:
        return self.gateway.queues(direction)

    def queue(self, name: str, direction: str) -> dict[str, Any]:
        detail = self.gateway.queue(name, direction)
        if detail is None:
            raise ClientError(f"queue {name} ({direction}) does not exist")
        return detail

    def bdoc_action(self, bdoc_id: str, action: str) -> dict[str, Any]:
        note = self.audited.bdoc(self.user, action, bdoc_id.upper())
        detail = self.gateway.bdoc(bdoc_id.upper())
        return {"bdoc_id": detail["bdoc_id"], "state": detail["state"],
                "message": note or action}

    def change_data(self, bdoc_id: str, changes: dict[str, str],
                    reprocess: bool = False) -> dict[str, Any]:
        done = self.audited.change_data(self.user, bdoc_id.upper(), changes)
        note = self.audited.bdoc(self.user, "reprocess", bdoc_id.upper()) if reprocess else ""
        detail = self.gateway.bdoc(bdoc_id.upper())
        return {"bdoc_id": detail["bdoc_id"], "state": detail["state"],
                "message": note or "data changed",
                "changes": {p: {"old": old, "new": new} for p, (old, new) in done.items()}}

    def queue_action(self, name: str, direction: str, action: str) -> dict[str, Any]:
        self.audited.queue(self.user, action, name, direction)
        return self.gateway.queue(name, direction) or {"name": name, "status": "EMPTY"}

    def rfc(self, function: str, **params: Any) -> dict[str, Any]:
        connection = self.gateway.destination(self.gateway.settings.rfc_destination or "ERP")
        try:
            return connection.call(function, **params)
        finally:
            connection.close()

    def close(self) -> None:
        self.gateway.close()


class HttpClient:
    """Talks to a running `sapgw serve` over its REST and JSON RFC routes; `user` and
    `password` log on with HTTP Basic where the server has `[auth]` users."""

    def __init__(self, url: str, timeout: float = 120.0, user: str = "",
                 password: str = "") -> None:
        self.url, self.user = url.rstrip("/"), user
        self.http = httpx.Client(base_url=self.url, timeout=timeout,
                                 auth=httpx.BasicAuth(user, password) if user else None)

    def _json(self, response: httpx.Response) -> Any:
        if response.status_code == 401:  # say what to do, not the server's words
            raise ClientError(
                f"{self.url} refused the logon of {self.user} (HTTP 401): name or password "
                "is incorrect" if self.user else
                f"{self.url} wants a logon (HTTP 401): give --user NAME, with the password "
                "in SAPGW_PASSWORD or at the prompt")
        if response.status_code >= 400:
            try:
                body = response.json()
                message = body.get("message") or body
            except ValueError:
                message = response.text
            raise ClientError(f"HTTP {response.status_code}: {message}")
        return loads(response.content)

    def send(self, bdoc_type: str, data: Any, sender: str = "CRM") -> dict[str, Any]:
        return self._json(self.http.post("/api/bdocs", content=dumps(
            {"type": bdoc_type, "sender": sender, "data": data}),
            headers={"content-type": "application/json"}))

    def wait_idle(self, timeout: float = 60.0) -> None:
        self._json(self.http.post("/api/idle", json={"timeout": timeout}))

    def bdoc(self, bdoc_id: str) -> dict[str, Any]:
        return self._json(self.http.get(f"/api/bdocs/{bdoc_id}"))

    def bdocs(self, **filters: Any) -> dict[str, Any]:
        names = {"bdoc_type": "type", "object_key": "key", "created_from": "from",
                 "created_to": "to", "flow_context": "context", "bdoc_id": "id"}
        params = {names.get(k, k): v for k, v in filters.items() if v is not None}
        return self._json(self.http.get("/api/bdocs", params=params))

    def queues(self, direction: str) -> list[dict[str, Any]]:
        return self._json(self.http.get("/api/queues", params={"direction": direction}))

    def queue(self, name: str, direction: str) -> dict[str, Any]:
        return self._json(self.http.get(f"/api/queues/{name}", params={"direction": direction}))

    def bdoc_action(self, bdoc_id: str, action: str) -> dict[str, Any]:
        return self._json(self.http.post(f"/api/bdocs/{bdoc_id}/{action}"))

    def change_data(self, bdoc_id: str, changes: dict[str, str],
                    reprocess: bool = False) -> dict[str, Any]:
        return self._json(self.http.patch(f"/api/bdocs/{bdoc_id}/data", json={
            "changes": changes, "reprocess": reprocess}))

    def queue_action(self, name: str, direction: str, action: str) -> dict[str, Any]:
        return self._json(self.http.post(f"/api/queues/{name}/{action}",
                                         params={"direction": direction}))

    def rfc(self, function: str, **params: Any) -> dict[str, Any]:
        return self._json(self.http.post(f"/sap/bc/rfc/{function}", content=dumps(params),
                                         headers={"content-type": "application/json"}))

    def clock(self, moment: str | None = None, frozen: bool = False) -> dict[str, Any]:
        if moment is None:
            return self._json(self.http.get("/api/erp/clock"))
        return self._json(self.http.post("/api/erp/clock",
                                         json={"moment": moment, "frozen": frozen}))

    def close(self) -> None:
        self.http.close()
