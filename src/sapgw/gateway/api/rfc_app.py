"""The JSON RFC service on its own: routes, auth, and where its calls run.

`api.app.create_app` mounts it before FastAPI (`GatewayApp`); `sapgw serve` builds it first,
before the REST and page routers are imported (~0.4 s), and serves `/sap/bc/rfc...` with it
while the rest of the app is built (`api.starting`, issue 15). Both use the same routes and
authenticator, so stateful sessions and remembered logins carry over.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.routing import BaseRoute
from starlette.types import ASGIApp

from sapgw.gateway.api.auth import Authenticator, AuthMiddleware
from sapgw.gateway.rfc.destinations import local_database
from sapgw.gateway.runtime import Gateway
from sapgw.rfc.jsonrfc_server import JsonRfcService


def inline_calls(gateway: Gateway) -> bool:
    """May stateless JSON RFC calls run on the event loop? Only with the gateway and the
    served system on SQLite files (no network round trips, no PostgreSQL lock waits)."""
    settings = gateway.settings
    dest = settings.destinations.get(settings.rfc_destination)
    if dest is None or not gateway.db.is_sqlite:
        return False
    url, _schema = local_database(settings, dest)
    return url.startswith("sqlite:///") and ":memory:" not in url


@dataclass
class JsonRfc:
    """The JSON RFC routes of a gateway's served system, and the ASGI app serving them."""

    routes: list[BaseRoute]
    app: ASGIApp
    authenticator: Authenticator


def json_rfc(gateway: Gateway, authenticator: Authenticator) -> JsonRfc:
    """The service behind the auth middleware: calls and units served from the raw ASGI
    scope (`JsonRfcService`); its routes are listed in the app for the route checks."""
    service = JsonRfcService(gateway.served_rfc.connect, inline=inline_calls(gateway),
                             units_inline=False)
    routes: list[BaseRoute] = list(service.routes)
    return JsonRfc(routes, AuthMiddleware(service, authenticator=authenticator), authenticator)
