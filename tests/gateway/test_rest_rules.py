"""Rules every HTTP route keeps (issue 14), checked by walking the app's routes: a route added
later is checked without a line here.

- an unknown query parameter is an error naming it and the parameters the route knows (400,
  `{"error", "message"}` for the API, the page frame with the message for a page);
- a malformed body is 400 with a sentence saying so (never "body.38: JSON decode error", never
  422), in the protocol's shape for the RFC services under /sap/bc;
- an unknown filter value lists the valid ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import routing
from starlette.testclient import TestClient

from sapgw.gateway.api.app import create_app
from sapgw.gateway.runtime import Gateway


def _routes(app: Any) -> Iterator[tuple[str, str, Any]]:
    """(method, path, route) of every route, also those of included routers."""
    walk = getattr(routing, "iter_route_contexts", None)  # FastAPI with lazy included routers
    contexts = list(walk(app.routes)) if walk else app.routes
    for context in contexts:
        route = getattr(context, "route", context)
        for method in sorted(getattr(context, "methods", None) or ()):
            if method != "HEAD":
                yield method, context.path, route


def _url(path: str) -> str:
    """The path with every parameter filled in (`{bdoc_id}` -> X)."""
    parts = [("X" if part.startswith("{") else part) for part in path.split("/")]
    return "/".join(parts)


@pytest.fixture(scope="module")
def app_and_web() -> Iterator[tuple[Any, TestClient]]:
    gateway = Gateway.in_memory()
    app = create_app(gateway, run_schedulers=False)
    try:
        yield app, TestClient(app)
    finally:
        gateway.close()


def _api_routes(app: Any) -> list[tuple[str, str, Any]]:
    return [(m, p, r) for m, p, r in _routes(app) if isinstance(r, routing.APIRoute)]


def test_the_walk_finds_the_routes(app_and_web: tuple[Any, TestClient]) -> None:
    paths = {(m, p) for m, p, _ in _routes(app_and_web[0])}
    assert {("POST", "/api/bdocs"), ("GET", "/smw01"), ("POST", "/sap/bc/soap/rfc"),
            ("POST", "/sap/bc/rfc/{FUNCTION:path}")} <= paths


def test_an_unknown_query_parameter_is_refused_on_every_route(
        app_and_web: tuple[Any, TestClient]) -> None:
    app, web = app_and_web
    checked = 0
    for method, path, _route in _api_routes(app):
        page = not path.startswith(("/api/", "/healthz"))
        if page and method != "GET":
            continue  # page forms are refused earlier without their CSRF token
        answer = web.request(method, _url(path), params={"zz_bogus": "1"})
        assert answer.status_code == 400, (method, path, answer.text[:200])
        text = answer.text if page else answer.json()["message"]
        assert "zz_bogus" in text and "knows" in text, (method, path)
        if not page:
            assert answer.json()["error"] == "BAD_REQUEST"
        checked += 1
    assert checked > 40


def test_a_malformed_body_is_a_sentence_on_every_route(
        app_and_web: tuple[Any, TestClient]) -> None:
    app, web = app_and_web
    with_body = [(m, p) for m, p, r in _api_routes(app) if r.body_field is not None]
    assert ("POST", "/api/bdocs") in with_body
    for method, path in with_body:
        answer = web.request(method, _url(path), content=b'{"type": ',
                             headers={"content-type": "application/json"})
        assert answer.status_code == 400, (method, path)
        assert answer.json() == {"error": "BAD_REQUEST", "message": (
            "the request body is not valid JSON (Expecting value at character 9); send a "
            "JSON object with content-type application/json")}, (method, path)
        wrong = web.request(method, _url(path), json=["not", "an", "object"])
        assert wrong.status_code == 400 and wrong.json()["error"] == "BAD_REQUEST", path
    rfc = [p for m, p, r in _routes(app) if p.startswith("/sap/bc/") and m == "POST"
           and "soap" not in p and "idoc" not in p and not p.endswith("/confirm")]
    for path in rfc:  # JSON RFC: pyrfc's error shape, which says what is wrong
        answer = web.post(_url(path), content=b'{"a":',
                          headers={"content-type": "application/json"})
        assert answer.status_code == 400, path
        assert "not valid JSON" in answer.json()["message"], path
    soap = web.post("/sap/bc/soap/rfc", content=b"<broken", headers={
        "content-type": "text/xml"})
    assert "XML_NOT_WELL_FORMED" in soap.text
    idoc = web.post("/sap/bc/idoc_xml", content=b"<broken", headers={
        "content-type": "application/xml"})
    assert idoc.status_code == 400 and "line 1" in idoc.text, idoc.text


def test_unknown_filter_values_list_the_valid_ones(app_and_web: tuple[Any, TestClient]) -> None:
    _, web = app_and_web
    answer = web.get("/api/bdocs", params={"state": "ZZZ"})
    assert answer.status_code == 400 and "E06" in answer.json()["message"]
    page = web.get("/smw01", params={"state": "E99"}).text
    assert "E99" in page and "E06" in page and '<form method="get" action="/smw01">' in page
    assert "a whole number from 1 to 1000" in web.get("/smw01", params={"limit": "abc"}).text
    missing = web.post("/api/bdocs", json={"data": {}})
    assert missing.json()["message"] == "field type is missing"


def test_keys_are_alpha_converted(app_and_web: tuple[Any, TestClient]) -> None:
    _, web = app_and_web
    answer = web.get("/api/idocs/2")
    assert answer.status_code == 404 and "0000000000000002" in answer.json()["message"]
    page = web.get("/iaomc", params={"key": "1791/10"})
    assert "00000000000000001791/10" in page.text
