"""HTTP: `POST /sap/bc/idoc_xml` (inbound, plain Starlette route) and `/api/idocs` (WE02, WE05,
BD87, outbound ACC_DOCUMENT, WE20/WE21).

The inbound route parses the body once itself. With `Accept: application/json` it answers
`{"DOCNUM", "STATUS", "MESSAGES"}` for one IDoc, a list of them for several; otherwise plain
text, one line per IDoc. A body that is not well-formed is refused with 400 and the line.
A flat file (content type text/plain) is taken in the same way. The fixed paths under
`/api/idocs/` come before `/api/idocs/{docnum}`, which would otherwise take them.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, PlainTextResponse, Response

from sapgw.gateway.idoc.model import IdocFormatError
from sapgw.gateway.idoc.ports import Port
from sapgw.gateway.idoc.service import IdocService
from sapgw.gateway.idoc.store import OutboundProfile
from sapgw.gateway.inputs import alpha
from sapgw.rfc.xml import XmlError

router = APIRouter()


def idoc_service(request: Request) -> IdocService:
    return request.app.state.gateway.idocs  # type: ignore[no-any-return]


def _bad_request(message: str) -> JSONResponse:
    return JSONResponse({"error": "BAD_REQUEST", "message": message}, status_code=400)


async def idoc_xml(request: Request) -> Response:
    body = await request.body()
    wants_json = "application/json" in request.headers.get("accept", "")
    flat = request.headers.get("content-type", "").startswith("text/plain")
    inbound = idoc_service(request).inbound
    try:
        if flat:
            results = await run_in_threadpool(inbound.receive_flat, body.decode("utf-8-sig"),
                                              "request")
        else:
            results = await run_in_threadpool(inbound.receive_xml, body, "request")
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
               direction: str = Query("", pattern="^[12]?$"), limit: int = Query(50, ge=1),
               after: str = "") -> dict[str, Any]:
    """WE02: IDocs newest first; `status` may list several (`51,56`); `direction` 1 outbound,
    2 inbound; `partner` is the sender of an inbound IDoc, the receiver of an outbound one."""
    return idoc_service(request).store.listing(status, mestyp, partner, min(limit, 500), after,
                                               direction)


class AccDocumentRequest(BaseModel):
    company_code: str = Field(min_length=1, max_length=4)
    from_date: str = Field(pattern=r"^\d{8}$", description="first posting date, YYYYMMDD")
    to_date: str = Field(default="", pattern=r"^(\d{8})?$", description="last posting date")
    partner: str = Field(default="", description="only this receiver (RCVPRN)")
    destination: str = Field(default="ERP", description="RFC destination of the FI documents")


@router.post("/api/idocs/outbound/acc_document", tags=["idocs"])
def send_acc_documents(request: Request, body: AccDocumentRequest) -> dict[str, Any]:
    """BD10-like: FI documents posted from `from_date` as ACC_DOCUMENT IDocs, one per outbound
    partner profile (WE20); documents sent to a partner before are skipped."""
    return idoc_service(request).send_acc_documents(body.company_code, body.from_date,
                                                    body.to_date, body.partner,
                                                    body.destination)


class MasterDataRequest(BaseModel):
    mestyp: str = Field(default="", pattern="^(|DEBMAS|CREMAS)$",
                        description="DEBMAS or CREMAS; blank: both")
    destination: str = Field(default="ERP", description="RFC destination of the ERP")


@router.post("/api/idocs/outbound/master_data", tags=["idocs"])
def send_master_data(request: Request, body: MasterDataRequest) -> dict[str, Any]:
    """BD21-like: the ERP's open change pointers of DEBMAS/CREMAS as one IDoc per changed
    customer or vendor and outbound partner profile (WE20), never back to the partner whose
    IDoc made the change; the pointers are marked processed."""
    return idoc_service(request).send_master_data(body.mestyp, body.destination)


@router.post("/api/idocs/outbound/dispatch", tags=["idocs"])
def dispatch_collected(request: Request) -> dict[str, Any]:
    """RSEOUT00-like: send every outbound IDoc collected in status 30."""
    return {"idocs": idoc_service(request).outbound.dispatch_collected()}


@router.get("/api/idocs/ports", tags=["idocs"])
def list_ports(request: Request) -> list[dict[str, Any]]:
    """WE21: the ports."""
    return [port.shown() for port in idoc_service(request).ports.all()]


@router.put("/api/idocs/ports/{name}", tags=["idocs"])
def put_port(request: Request, name: str, body: dict[str, Any]) -> Response:
    """WE21 save: `{"type": "XML-HTTP", "url": ...}` and the other fields of a port."""
    try:
        port = Port(**{**body, "PORT": name})
        idoc_service(request).ports.put(port)
    except (TypeError, ValueError) as error:
        return _bad_request(str(error))
    return JSONResponse(port.shown())


@router.get("/api/idocs/partners", tags=["idocs"])
def list_partners(request: Request) -> dict[str, Any]:
    """WE20: inbound and outbound partner profiles."""
    service = idoc_service(request)
    return {"inbound": [p.__dict__ for p in service.store.partners()],
            "outbound": [p.__dict__ for p in service.store.outbound_profiles()]}


@router.put("/api/idocs/partners/outbound/{rcvprt}/{rcvprn}/{mestyp}", tags=["idocs"])
def put_outbound_profile(request: Request, rcvprt: str, rcvprn: str, mestyp: str,
                         body: dict[str, Any]) -> Response:
    """WE20 save (outbound): `{"RCVPOR": port, "IDOCTYP": basic type, "OUTMOD": "2"|"4"}`."""
    try:
        profile = OutboundProfile(rcvprt, rcvprn, mestyp, **body)
        idoc_service(request).put_outbound_profile(profile)
    except (TypeError, ValueError) as error:
        return _bad_request(str(error))
    return JSONResponse(profile.__dict__)


@router.get("/api/idocs/{docnum}", tags=["idocs"])
def show_idoc(request: Request, docnum: str) -> dict[str, Any]:
    """WE05: control record, segments and status history of one IDoc (and, outbound, its
    port, TID, failed tries and next try). The number is ALPHA-converted (`2` finds
    0000000000000002)."""
    return idoc_service(request).detail(alpha(docnum, 16))


@router.post("/api/idocs/{docnum}/reprocess", tags=["idocs"])
def reprocess_idoc(request: Request, docnum: str) -> dict[str, Any]:
    """BD87: process an inbound IDoc in error again (51, 56, 64 …); send an outbound one in
    02 or 30 again."""
    return idoc_service(request).reprocess(alpha(docnum, 16))
