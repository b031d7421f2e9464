"""`/docs` works without internet and `/openapi.json` is true and complete (issue 14)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from sapgw.gateway.api.app import create_app
from sapgw.gateway.runtime import Gateway
from tests.gateway.test_rest_rules import _routes


@pytest.fixture(scope="module")
def app_and_web() -> Iterator[tuple[Any, TestClient]]:
    gateway = Gateway.in_memory()
    app = create_app(gateway, run_schedulers=False)
    try:
        yield app, TestClient(app)
    finally:
        gateway.close()


def test_docs_load_their_assets_from_the_server(app_and_web: tuple[Any, TestClient]) -> None:
    _, web = app_and_web
    page = web.get("/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets and all(a.startswith("/") for a in assets), assets  # no CDN
    for asset in assets:
        answer = web.get(asset)
        assert answer.status_code == 200 and len(answer.content) > 1000, asset
    assert "openapi.json" in page.text


def test_the_specification_is_true_and_complete(app_and_web: tuple[Any, TestClient]) -> None:
    app, web = app_and_web
    spec = web.get("/openapi.json").json()
    assert "422" not in str(spec) and "HTTPValidationError" not in str(spec)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert "400" in operation["responses"], (method, path)
    documented = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    for method, path, route in _routes(app):
        if not getattr(route, "include_in_schema", True) or path.startswith("/docs") \
                or path == "/openapi.json":
            continue
        assert (method, re.sub(r":path}", "}", path)) in documented, (method, path)
    assert spec["components"]["schemas"]["Error"]["required"] == ["error", "message"]
