"""The HTTP app assembled in one place: routes for health, REST and RFC, error mapping outermost."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from sapgw import __version__


async def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok", "version": __version__})


def create_app() -> Starlette:
    return Starlette(routes=[Route("/healthz", healthz)])
