"""Isolation of a running `sapgw serve` over REST (`/api/admin/...`), as `Isolation` does it
in-process: the CLI's `--url` and the pytest plugin's `SAPGW_URL` use it.

The server's refusals come back as the same exceptions (`RestoreRefused` for 409,
`UnknownSnapshot` for 404, `SnapshotError` for 400), with the server's message.
"""

from __future__ import annotations

from typing import Any

import httpx

from sapgw.snapshots import RestoreRefused, SnapshotError, UnknownSnapshot


class RemoteIsolation:
    def __init__(self, url: str, user: str = "", password: str = "",
                 timeout: float = 300.0) -> None:
        self.url = url.rstrip("/")
        self.http = httpx.Client(base_url=self.url, timeout=timeout,
                                 auth=httpx.BasicAuth(user, password) if user else None)

    def reset(self, state: str | None = None) -> dict[str, Any]:
        return self._answer(self.http.post("/api/admin/reset", json={"state": state}))

    def snapshot(self, name: str) -> dict[str, Any]:
        return self._answer(self.http.post("/api/admin/snapshots", json={"name": name}))

    def restore(self, name: str) -> dict[str, Any]:
        return self._answer(self.http.post(f"/api/admin/snapshots/{name}/restore"))

    def snapshots(self) -> list[dict[str, Any]]:
        return self._answer(self.http.get("/api/admin/snapshots"))  # type: ignore[no-any-return]

    def delete(self, name: str) -> bool:
        return bool(self._answer(self.http.delete(f"/api/admin/snapshots/{name}"))["deleted"])

    def states(self) -> list[str]:
        return list(self._answer(self.http.get("/api/admin/states"))["states"])

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> RemoteIsolation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _answer(self, response: httpx.Response) -> Any:
        if response.status_code < 400:
            return response.json()
        try:
            message = response.json().get("message") or response.text
        except ValueError:
            message = response.text
        where = f"{self.url} (HTTP {response.status_code}): {message}"
        if response.status_code == 409:
            raise RestoreRefused(where)
        if response.status_code == 404:
            raise UnknownSnapshot(where)
        if response.status_code == 400:
            raise SnapshotError(where)
        raise PermissionError(where) if response.status_code in (401, 403) else \
            RuntimeError(where)
