"""HTTP: `POST /sap/bc/idoc_xml` (inbound, plain Starlette route) and `/api/idocs` (WE02, BD87).

The inbound route parses the body once itself. With `Accept: application/json` it answers
`{"DOCNUM", "STATUS", "MESSAGES"}` for one IDoc, a list of them for several; otherwise plain
text, one line per IDoc. A body that is not well-formed is refused with 400 and the line.
A flat file (content type text/plain) is taken in the same way.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, PlainTextResponse, Response

from sapgw.gateway.idoc.inbound import IdocInbound
from sapgw.gateway.idoc.model import IdocFormatError
from sapgw.rfc.xml import XmlError

router = APIRouter()
_lock = threading.Lock()


def idoc_service(request: Request) -> IdocInbound:
    """The app's IDoc inbound, made on first use from the app's gateway."""
    state = request.app.state
    with _lock:
        if getattr(state, "idocs", None) is None:
            gateway = state.gateway
            state.idocs = IdocInbound(gateway.db, gateway.clock, gateway.destination)
    return state.idocs  # type: ignore[no-any-return]


async def idoc_xml(request: Request) -> Response:
    body = await request.body()
    wants_json = "application/json" in request.headers.get("accept", "")
    flat = request.headers.get("content-type", "").startswith("text/plain")
    service = idoc_service(request)
    try:
        if flat:
            results = await run_in_threadpool(service.receive_flat, body.decode("utf-8"),
                                              "request")
        else:
            results = await run_in_threadpool(service.receive_xml, body, "request")
    except (XmlError, IdocFormatError, UnicodeDecodeError) as error:
        if wants_json:
            return JSONResponse({"error": "BAD_IDOC", "message": str(error)}, status_code=400)
        return PlainTextResponse(f"IDoc refused: {error}\n", status_code=400)
    if wants_json:
        return JSONResponse(results[0] if len(results) == 1 else results)
    return PlainTextResponse("".join(f"IDoc {r['DOCNUM']} status {r['STATUS']}\n"
                                     for r in results))


router.add_route("/sap/bc/idoc_xml", idoc_xml, methods=["POST"], include_in_schema=False)


@router.get("/api/idocs", tags=["idocs"])
def list_idocs(request: Request, status: str = "", mestyp: str = "", partner: str = "",
               limit: int = 50, after: str = "") -> dict[str, Any]:
    """WE02: IDocs newest first; `status` may list several (`51,56`)."""
    return idoc_service(request).store.listing(status, mestyp, partner, min(limit, 500), after)


@router.get("/api/idocs/{docnum}", tags=["idocs"])
def show_idoc(request: Request, docnum: str) -> dict[str, Any]:
    """WE05: control record, segments and status history of one IDoc."""
    return idoc_service(request).store.detail(docnum)


@router.post("/api/idocs/{docnum}/reprocess", tags=["idocs"])
def reprocess_idoc(request: Request, docnum: str) -> dict[str, Any]:
    """BD87: process an IDoc in error again (51, 56, 64 …)."""
    return idoc_service(request).reprocess(docnum)
