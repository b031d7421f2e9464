"""The API's documentation as the API behaves: `/docs` without internet, a true `/openapi.json`.

- Swagger UI's assets (5.x, which reads OpenAPI 3.1 as FastAPI writes it) come from the
  package `fastapi-offline`, whose static folder ships them (we use only that folder), served
  at `/docs/static`, not from a CDN: the page works on a machine without internet access,
  where a test system often runs. ReDoc is not offered.
- Bad requests answer 400 `{"error", "message"}` (api/app.py), never FastAPI's 422: the
  specification says so for every operation.
- The RFC services under `/sap/bc/...` are plain Starlette routes (they must answer in their
  protocol's shape, fast): they are added here as documented paths, with their headers, so
  the specification is complete. docs/JSON_RFC.md, docs/SOAP.md and docs/IDOC.md have the
  wire formats.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

ASSETS = "/docs/static"
ASSET_DIR = files("fastapi_offline") / "static"  # swagger-ui-bundle.js, swagger-ui.css
ERROR = {"type": "object", "required": ["error", "message"], "properties": {
    "error": {"type": "string", "example": "BAD_REQUEST"},
    "message": {"type": "string", "example": "state: 'ZZZ' is not valid; BDoc states are "
                                             "I01, I02, ..."}}}
_BAD_REQUEST = {"description": "Bad request: the message names the parameter or field and "
                               "what fits", "content": {"application/json": {
                                   "schema": {"$ref": "#/components/schemas/Error"}}}}


def install(app: FastAPI) -> None:
    """Serve `/docs` from the package's assets and answer `/openapi.json` from `document`."""
    app.mount(ASSETS, StaticFiles(directory=str(ASSET_DIR)), name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} API",
                                   swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{ASSETS}/swagger-ui.css",
                                   swagger_favicon_url=f"{ASSETS}/favicon.png")

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's specification, made true: 400 instead of 422, the /sap/bc routes added."""
    spec = get_openapi(title=app.title, version=app.version, description=app.description,
                       routes=app.routes)
    for operations in spec["paths"].values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            responses.setdefault("400", _BAD_REQUEST)
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas["Error"] = ERROR
    spec["paths"].update(SAP_PATHS)
    return spec


def _op(tag: str, summary: str, body: str, answer: str, parameters: list[dict[str, Any]]
        | None = None, method: str = "post") -> dict[str, Any]:
    operation: dict[str, Any] = {
        "tags": [tag], "summary": summary, "description": f"{body}\n\nAnswer: {answer}",
        "parameters": parameters or [],
        "responses": {"200": {"description": answer}, "400": {
            "description": "Bad request, in the protocol's shape (a pyrfc error body, a SOAP "
                           "fault or plain text)"},
            "401": {"description": "no or wrong logon (with [auth] users)"},
            "403": {"description": "the user's role may not call RFC services"}}}
    if method == "post":
        operation["requestBody"] = {"content": {"application/json": {"schema": {
            "type": "object"}}, "text/xml": {"schema": {"type": "string"}}}}
    return {method: operation}


def _header(name: str, text: str) -> dict[str, Any]:
    return {"name": name, "in": "header", "required": False, "schema": {"type": "string"},
            "description": text}


def _path(name: str, text: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"},
            "description": text}


def _query(name: str, text: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string"},
            "description": text}


_UNIT = [_header("sap-trfc-tid", "24-character TID: the call runs once per TID (tRFC)"),
         _header("sap-qrfc-queue", "with a TID: store the unit in this inbound queue (SMQ2)"),
         _header("sap-contextid", "stateful session id (answered by the first call)")]
SAP_PATHS: dict[str, Any] = {
    "/sap/bc/rfc/{FUNCTION}": _op(
        "JSON RFC", "Call an RFC function",
        "The parameters as a JSON object, e.g. {\"QUERY_TABLE\": \"T001\"} (docs/JSON_RFC.md)",
        "the exporting, changing and table parameters as a JSON object; an error as pyrfc's "
        "error body {\"error\", \"code\", \"key\", \"message\", ...}",
        [_path("FUNCTION", "function module, e.g. RFC_READ_TABLE"), *_UNIT]),
    "/sap/bc/rfc_unit": _op(
        "JSON RFC", "A tRFC/qRFC unit", "{\"TID\", \"QUEUE\", \"CALLS\": [[function, params]]}",
        "{\"TID\", \"STATE\": \"EXECUTED\" | \"QUEUED\"}"),
    "/sap/bc/rfc_units": _op(
        "JSON RFC", "Several units in order", "{\"UNITS\": [{\"TID\", \"QUEUE\", \"CALLS\"}]}",
        "{\"EXECUTED\": n, \"ERROR\": null or an error}"),
    "/sap/bc/rfc_unit/{TID}/confirm": _op(
        "JSON RFC", "Confirm a unit (the receiver may forget its TID)", "no body",
        "{\"TID\", \"STATE\": \"CONFIRMED\"}", [_path("TID", "the unit's TID")]),
    "/sap/bc/soap/rfc": _op(
        "SOAP RFC", "Call an RFC function over SOAP 1.1 (rfc:functions)",
        "a SOAP envelope whose body is <urn:FUNC> (docs/SOAP.md); sap-sessioncmd=open|close",
        "<FUNC.Response> or a SOAP fault",
        [*_UNIT, _query("sap-client", "client, e.g. 100"),
         _query("sap-sessioncmd", "open or close a stateful session")]),
    "/sap/bc/soap/wsdl11": _op(
        "SOAP RFC", "WSDL 1.1 of functions (zeep: client.service.FUNC works for each)",
        "no body", "the WSDL", [_query("services", "functions, comma-separated, * allowed"),
                                _query("sap-client", "client")], method="get"),
    "/sap/bc/soap/wsdl": _op(
        "SOAP RFC", "WSDL (the same as wsdl11)", "no body", "the WSDL",
        [_query("services", "functions, comma-separated"), _query("sap-client", "client")],
        method="get"),
    "/sap/bc/idoc_xml": _op(
        "IDoc", "Take in IDoc-XML (one or more IDocs)", "IDoc-XML (docs/IDOC.md)",
        "the IDoc numbers and status records as XML or JSON"),
    "/metrics": _op("monitoring", "Prometheus metrics", "no body",
                    "BDocs by state, queue depth and age, LUW times and errors",
                    method="get"),
}
