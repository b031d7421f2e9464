"""FP_RAI_MON as a web page: the revenue accounting transfer records of the ERP's FI-CA per
source item type and status, and those not yet sent, read over RFC (FKK_RAI_MON) with
FP_RAI_TRANSF's selections, as `sapgw erp fp_rai_mon` does. Admins start FP_RAI_TRANSF
(FKK_RAI_TRANSFER) for the same selections from the page, for real or as a test run (POST
with the CSRF token, audited); the run's messages come back as the page's banner, with
the headline of a failed run (the most specific error) in red.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse, RedirectResponse

from sapgw.gateway.api import auth
from sapgw.gateway.cli_support import failed_return, return_lines
from sapgw.gateway.monitor.pages import ACTION, _audited, _button, _e, _gw, _page, _row, _table
from sapgw.rfc.errors import RFCError

router = APIRouter(tags=["monitor pages"], include_in_schema=False)
TITLE = "FP_RAI_MON · Revenue accounting transfer records"
FIELDS = (("type", "Source item types (CAOI,CABO,CAFI,CAIN)"), ("bukrs", "Company codes"),
          ("partner", "Business partners"), ("to", "Selection to (YYYYMMDD)"))
STATUS = {"U": "not yet sent", "S": "sent", "X": "superseded (never sent)",
          "A": "to be aggregated"}


def _values(text: str) -> list[dict[str, str]]:
    return [{"LOW": value.strip().upper()} for value in text.split(",") if value.strip()]


@router.get("/erp/fp_rai_mon", response_class=HTMLResponse)
def fp_rai_mon(request: Request, item_types: str = Query("", alias="type"), bukrs: str = "",
               partner: str = "", to: str = "", msg: str = "", error: str = "") -> HTMLResponse:
    gw = _gw(request)
    conn = gw.destination(gw.settings.rfc_destination or "ERP")
    try:
        result: dict[str, Any] = conn.call(
            "FKK_RAI_MON", SEL_TO=to, IT_SRCDOC_TYPE=_values(item_types), IT_BUKRS=_values(bukrs),
            IT_PARTNER=_values(partner))
    except RFCError as exc:
        return _page(request, TITLE, "", status=502, error=f"ERP: {exc}")
    finally:
        conn.close()
    values = {"type": item_types, "bukrs": bukrs, "partner": partner, "to": to}
    inputs = "".join(f'<label>{_e(text)} <input name="{name}" value="{_e(values[name])}">'
                     "</label> " for name, text in FIELDS)
    summary = (_row(_e(row["SRCDOC_TYPE"]), _e(row["STATUS"]), _e(STATUS[row["STATUS"]]),
                    _e(row["RECORDS"])) for row in result["ET_SUMMARY"])
    unsent = (_row(*(_e(row[name]) for name in (
        "RAI_ID", "SRCDOC_TYPE", "SRCDOC_ID", "SERVICE_TYPE", "PARTNER", "BUKRS", "VTREF",
        "BETRW", "WAERS", "CONDITIONS", "CRDATE")), _e(STATUS[row["STATUS"]]))
        for row in result["ET_UNSENT"])
    selection = urlencode({name: value for name, value in values.items() if value})
    transfer = "/erp/fp_rai_transf" + (f"?{selection}" if selection else "")
    buttons = (_button(request, transfer, "Transfer to RAR (FP_RAI_TRANSF)") + " "
               + _button(request, transfer + ("&" if selection else "?") + "test=X",
                         "Test run"))
    body = (f'<form method="get" action="/erp/fp_rai_mon">{inputs}<button>Display</button>'
            f"</form><p>{buttons}</p><h2>Per item type and status</h2>"
            + _table(["Item type", "Status", "Status text", "Records"], summary,
                     "no transfer records")
            + "<h2>Not yet sent</h2>"
            + _table(["Transfer record", "Type", "Source item", "Service type", "Partner",
                      "Company code", "Provider contract", "Amount", "Currency",
                      "Conditions", "Created", "Status"], unsent, "nothing waiting"))
    return _page(request, TITLE, body, message=msg, error=error)


@router.post("/erp/fp_rai_transf", **ACTION)
def fp_rai_transf(request: Request, item_types: str = Query("", alias="type"), bukrs: str = "",
                  partner: str = "", to: str = "", test: str = "") -> RedirectResponse:
    """FP_RAI_TRANSF for the page's selections; back to FP_RAI_MON with the run's messages."""
    gw = _gw(request)
    params = {"SEL_TO": to, "TESTRUN": "X" if test.upper() == "X" else "",
              "IT_SRCDOC_TYPE": _values(item_types), "IT_BUKRS": _values(bukrs),
              "IT_PARTNER": _values(partner)}

    def run() -> dict[str, Any]:
        conn = gw.destination(gw.settings.rfc_destination or "ERP")
        try:
            return conn.call("FKK_RAI_TRANSFER", **params)
        finally:
            conn.close()

    selection = {name: value for name, value in (("type", item_types), ("bukrs", bukrs),
                                                 ("partner", partner), ("to", to)) if value}
    try:
        result = _audited(request).system(auth.current_user(request).name, "fp_rai_transf",
                                          "FP_RAI_TRANSF", run)
    except RFCError as exc:
        return _back(selection, error=f"ERP: {exc}")
    return _back(selection, msg=" · ".join(return_lines(result)),
                 error=failed_return(result) or "")


def _back(selection: dict[str, str], **banner: str) -> RedirectResponse:
    query = urlencode({**selection, **{k: v for k, v in banner.items() if v}})
    return RedirectResponse(f"/erp/fp_rai_mon?{query}", status_code=303)
