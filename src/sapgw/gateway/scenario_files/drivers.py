"""Where a scenario runs: in this process (`LocalDriver`) or on a server (`HttpDriver`).

Both offer the same few operations through the gateway's public interfaces: the Python API or
REST for BDocs, queues, IDocs and the clock, and an RFC connection (the served RFC layer, or
JSON RFC over HTTP) for the ERP. Failure injection and reset belong to other parts of issue 13;
the drivers call their documented seams and say clearly when the gateway has none:

- faults: `Gateway.faults.add(rule)` / `POST /api/admin/faults` (FAULTS_PATH)
- reset:  `Gateway.reset(state)` / `POST /api/admin/reset` with `{"state": ...}` (RESET_PATH)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sapgw.gateway.client import ClientError, HttpClient, LocalClient
from sapgw.gateway.runtime import Gateway
from sapgw.gateway.scenario_files.steps import StepFailed
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.jsonrfc_client import HttpRfcConnection

FAULTS_PATH = "/api/admin/faults"
RESET_PATH = "/api/admin/reset"
LIST_LIMIT = 1000  # the REST list's page size; a scenario expecting more BDocs pages on


class NotAvailable(StepFailed):
    """The gateway lacks a feature a step needs (e.g. failure injection)."""


class LocalDriver:
    """A gateway in this process: queues run when the scenario says `run` (or expects)."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.client = LocalClient(gateway)  # actions audited as `cli:<user>`, as the CLI's

    def send(self, bdoc_type: str, items: list[Any], sender: str) -> list[str]:
        return [b["bdoc_id"] for b in self.gateway.send_many(bdoc_type, items, sender)]

    def send_idoc(self, content: bytes, flat: bool) -> list[dict[str, Any]]:
        inbound = self.gateway.idocs.inbound
        if flat:
            return inbound.receive_flat(content.decode("utf-8-sig"), "scenario")
        return inbound.receive_xml(content, "scenario")

    def run_idle(self, timeout: float) -> None:
        self.gateway.run_until_idle(timeout)

    def bdoc(self, bdoc_id: str) -> dict[str, Any]:
        return self.gateway.bdoc(bdoc_id.upper())

    def bdocs(self, bdoc_type: str, key: str | None, sender: str | None) -> list[dict[str, Any]]:
        return list(self.gateway.bdocs_list(bdoc_type=bdoc_type, object_key=key, sender=sender,
                                            limit=LIST_LIMIT)["items"])

    def queue(self, name: str, direction: str) -> dict[str, Any] | None:
        return self.gateway.queue(name, direction)

    def idoc_status(self, docnum: str) -> str:
        return str(self.gateway.idocs.detail(docnum)["status"][-1]["STATUS"])

    def bdoc_action(self, bdoc_id: str, action: str) -> dict[str, Any]:
        return self.client.bdoc_action(bdoc_id, action)

    def queue_action(self, name: str, direction: str, action: str) -> dict[str, Any]:
        return self.client.queue_action(name, direction, action)

    def connect(self) -> RfcConnection:
        """As a partner calls: gateway functions first, then the ERP stub."""
        return self.gateway.served_rfc.connect()

    def clock(self, moment: datetime | None, advance: timedelta | None, frozen: bool) -> str:
        clock = self.gateway.clock
        if frozen and not clock.frozen:
            clock.freeze()
        if moment is not None:
            clock.set(moment)
        if advance is not None:
            clock.advance(advance)
        return clock.now().isoformat()

    def add_fault(self, rule: dict[str, Any]) -> Any:
        faults = getattr(self.gateway, "faults", None)
        if faults is None:
            raise NotAvailable("this gateway has no failure injection (Gateway.faults, "
                               "docs/FAULTS.md)")
        return faults.add(rule)

    def reset(self, state: str | None) -> Any:
        reset = getattr(self.gateway, "reset", None)
        if reset is None:
            raise NotAvailable("this gateway cannot be reset (Gateway.reset, docs/ISOLATION.md)")
        return reset(state) if state else reset()

    def close(self) -> None:
        """The gateway belongs to whoever made it; nothing to release here."""


class HttpDriver:
    """A running `sapgw serve`: REST for the middleware, JSON RFC for the ERP."""

    def __init__(self, url: str, user: str = "", password: str = "",
                 timeout: float = 120.0) -> None:
        self.url, self.user, self.password = url.rstrip("/"), user, password
        self.client = HttpClient(self.url, timeout=timeout, user=user, password=password)

    def send(self, bdoc_type: str, items: list[Any], sender: str) -> list[str]:
        if len(items) == 1:
            return [self.client.send(bdoc_type, items[0], sender)["bdoc_id"]]
        answer = self._post("/api/bdocs/batch", {"type": bdoc_type, "sender": sender,
                                                 "items": items})
        return [b["bdoc_id"] for b in answer["bdocs"]]

    def send_idoc(self, content: bytes, flat: bool) -> list[dict[str, Any]]:
        answer = self.client._json(self.client.http.post(
            "/sap/bc/idoc_xml", content=content, headers={
                "accept": "application/json",
                "content-type": "text/plain" if flat else "application/xml"}))
        return answer if isinstance(answer, list) else [answer]

    def run_idle(self, timeout: float) -> None:
        self.client.wait_idle(timeout)

    def bdoc(self, bdoc_id: str) -> dict[str, Any]:
        return self.client.bdoc(bdoc_id)

    def bdocs(self, bdoc_type: str, key: str | None, sender: str | None) -> list[dict[str, Any]]:
        return list(self.client.bdocs(bdoc_type=bdoc_type, object_key=key, sender=sender,
                                      limit=LIST_LIMIT)["items"])

    def queue(self, name: str, direction: str) -> dict[str, Any] | None:
        response = self.client.http.get(f"/api/queues/{name}", params={"direction": direction})
        if response.status_code == 404:
            return None
        return dict(self.client._json(response))

    def idoc_status(self, docnum: str) -> str:
        detail = self.client._json(self.client.http.get(f"/api/idocs/{docnum}"))
        return str(detail["status"][-1]["STATUS"])

    def bdoc_action(self, bdoc_id: str, action: str) -> dict[str, Any]:
        return self.client.bdoc_action(bdoc_id, action)

    def queue_action(self, name: str, direction: str, action: str) -> dict[str, Any]:
        return self.client.queue_action(name, direction, action)

    def connect(self) -> RfcConnection:
        return HttpRfcConnection(self.url, user=self.user, passwd=self.password)

    def clock(self, moment: datetime | None, advance: timedelta | None, frozen: bool) -> str:
        now = datetime.fromisoformat(self.client.clock()["now"])
        if moment is None and advance is None and not frozen:
            return now.isoformat()
        target = (moment or now) + (advance or timedelta(0))
        return str(self.client.clock(target.isoformat(), frozen)["now"])

    def add_fault(self, rule: dict[str, Any]) -> Any:
        return self._post(FAULTS_PATH, rule, "failure injection")

    def reset(self, state: str | None) -> Any:
        return self._post(RESET_PATH, {"state": state} if state else {}, "reset")

    def _post(self, path: str, body: Any, feature: str = "") -> Any:
        response = self.client.http.post(path, json=body)
        if response.status_code in (404, 405) and feature:
            raise NotAvailable(f"{self.url} offers no {feature} ({path} answers HTTP "
                               f"{response.status_code})")
        return self.client._json(response)

    def close(self) -> None:
        self.client.close()


__all__ = ["ClientError", "HttpDriver", "LocalDriver", "NotAvailable"]
