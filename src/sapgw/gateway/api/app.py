"""The HTTP app, assembled in one place.

FastAPI serves the REST API (`/api/...`, OpenAPI at `/docs`), the pages and SOAP RFC. The hot
JSON RFC routes (`/sap/bc/rfc/...`, `/sap/bc/rfc_unit...`) are plain Starlette routes that
`GatewayApp` dispatches to before FastAPI: behind the same auth middleware, but without
scanning every REST and page route first and without FastAPI's middleware stack (issue 15:
that was a fifth of a call's server time). Error mapping is outermost for the rest: every
failure answers JSON with a message, never a traceback (the RFC routes answer their errors
themselves, `rfc.jsonrfc_server`). The auth middleware (`api.auth`) lets a request through
only with a user allowed to make it, the RFC routes included; only `/healthz` stays open.

Which calls run where (docs/ARCHITECTURE.md, "Where a call runs"): with the gateway and the
served ERP on SQLite, stateless JSON RFC calls run on the event loop (they read, and their
CPU is serialised by the GIL anyway; a thread hop cost a quarter of a call); units and
stateful sessions, which write and may wait for the write lock, and every call on
PostgreSQL, run in the thread pool.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sapgw import __version__
from sapgw.bdoc.states import IllegalTransition
from sapgw.gateway.actions import ActionRefused
from sapgw.gateway.api import admin, openapi, rest
from sapgw.gateway.api.auth import AccessDenied, Authenticator, AuthMiddleware, CsrfRefused
from sapgw.gateway.api.problems import reject_unknown_query, validation_message
from sapgw.gateway.api.rfc_app import JsonRfc, json_rfc
from sapgw.gateway.audit import AuditedActions
from sapgw.gateway.docflow import routes as docflow_routes
from sapgw.gateway.faults import routes as fault_routes
from sapgw.gateway.ic import accounting_pages, automotive
from sapgw.gateway.idoc import routes as idoc_routes
from sapgw.gateway.inputs import InvalidInput
from sapgw.gateway.loads import routes as load_routes
from sapgw.gateway.monitor import (
    cats_pages,
    cockpit_pages,
    crmsrv_pages,
    erp_queue_pages,
    fica_pages,
    ke24_pages,
    mb51_pages,
    metrics,
    pages,
    period_end_pages,
    rar_pages,
    scheduler_pages,
)
from sapgw.gateway.runtime import Gateway, NotIdle, UnknownBDocType
from sapgw.gateway.store.bdocs import BDocNotFound
from sapgw.rfc.jsonvalues import RFC_PATH
from sapgw.rfc.soap_server import soap_routes

log = logging.getLogger("sapgw.api")


def _error(status: int, error: str, message: str) -> JSONResponse:
    return JSONResponse({"error": error, "message": message}, status_code=status)


def _bad_input(request: Request, message: str) -> Response:
    """400 in the caller's shape: JSON for the API, the page frame with the error for a page."""
    if request.url.path.startswith(("/api/", "/sap/", "/healthz")):
        return _error(400, "BAD_REQUEST", message)
    return pages.bad_input(request, message)


class GatewayApp(FastAPI):
    """FastAPI, with the JSON RFC paths (`/sap/bc/rfc...`) dispatched to `rfc` before it."""

    rfc: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (self.rfc is not None and scope["type"] == "http"
                and scope["path"].startswith(RFC_PATH)):
            scope["app"] = self
            await self.rfc(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def create_app(gateway: Gateway, run_schedulers: bool = True, warm_up: bool = True,
               early: JsonRfc | None = None) -> GatewayApp:
    """The app; `warm_up=False` when the caller has built the served system already, and
    `early` the JSON RFC service it serves already (`sapgw serve`, `api.starting`): its
    routes and authenticator are used, so nothing of it starts over."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if run_schedulers:
            if warm_up and gateway.settings.rfc_destination:  # so the first call is not slower
                gateway.served_rfc.warm_up()
            gateway.start()
        yield
        gateway.close()

    app = GatewayApp(title="sapgw", version=__version__, lifespan=lifespan,
                  description="SAP CRM Middleware and ERP stub emulator",
                  dependencies=[Depends(reject_unknown_query)],
                  docs_url=None, redoc_url=None)  # /docs from the package: api/openapi.py
    openapi.install(app)
    app.state.gateway = gateway
    app.state.auth = early.authenticator if early else Authenticator(gateway.settings.auth)
    app.state.audit = AuditedActions(gateway)
    app.add_middleware(AuthMiddleware, authenticator=app.state.auth)
    app.include_router(rest.router)
    app.include_router(admin.router)
    app.include_router(pages.router)
    app.include_router(cockpit_pages.router)
    app.include_router(erp_queue_pages.router)
    app.include_router(ke24_pages.router)
    app.include_router(crmsrv_pages.router)
    app.include_router(period_end_pages.router)
    app.include_router(cats_pages.router)
    app.include_router(mb51_pages.router)
    app.include_router(fica_pages.router)
    app.include_router(accounting_pages.router)
    app.include_router(accounting_pages.api)
    app.include_router(rar_pages.router)
    app.include_router(idoc_routes.router)
    app.include_router(scheduler_pages.router)
    app.include_router(docflow_routes.router)
    app.include_router(fault_routes.router)
    app.include_router(automotive.router)
    app.include_router(automotive.pages)
    app.include_router(load_routes.router)
    app.router.routes.append(metrics.metrics_route())
    if gateway.settings.rfc_destination:  # gateway functions, and the ERP stub behind them
        served = gateway.served_rfc
        rfc = early or json_rfc(gateway, app.state.auth)
        app.rfc = rfc.app
        app.router.routes.extend(rfc.routes)  # listed for the route rules and OpenAPI checks
        app.router.routes.extend(soap_routes(served.connect, served.interface, served.names))

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.exception_handler(UnknownBDocType)
    async def unknown_type(_r: Request, exc: UnknownBDocType) -> JSONResponse:
        return _error(400, "UNKNOWN_BDOC_TYPE", str(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        return _bad_input(request, validation_message(list(exc.errors())))

    @app.exception_handler(InvalidInput)
    async def invalid_input(request: Request, exc: InvalidInput) -> Response:
        return _bad_input(request, str(exc))

    @app.exception_handler(BDocNotFound)
    async def not_found(_r: Request, exc: BDocNotFound) -> JSONResponse:
        return _error(404, "NOT_FOUND", f"BDoc {exc.args[0]} does not exist")

    @app.exception_handler(LookupError)
    async def lookup(_r: Request, exc: LookupError) -> JSONResponse:
        return _error(404, "NOT_FOUND", str(exc))

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, exc: CsrfRefused) -> HTMLResponse:
        return pages.refused(request, str(exc))

    @app.exception_handler(AccessDenied)
    async def access_denied(_r: Request, exc: AccessDenied) -> JSONResponse:
        return _error(403, "FORBIDDEN", str(exc))

    @app.exception_handler(ActionRefused)
    async def refused(_r: Request, exc: ActionRefused) -> JSONResponse:
        return _error(409, "ACTION_REFUSED", str(exc))

    @app.exception_handler(IllegalTransition)
    async def illegal(_r: Request, exc: IllegalTransition) -> JSONResponse:
        return _error(409, "ILLEGAL_TRANSITION", str(exc))

    @app.exception_handler(NotIdle)
    async def not_idle(_r: Request, exc: NotIdle) -> JSONResponse:
        return _error(504, "NOT_IDLE", str(exc))

    @app.exception_handler(Exception)
    async def unexpected(_r: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return _error(500, "INTERNAL_ERROR", f"{type(exc).__name__}: {exc}")

    return app
