"""The Accounting IC as web pages and REST routes (behind [auth], as every page).

Pages: `/ic/accounting` (partner search by company code, name, number, city), the partner
view `/ic/accounting/partner` (balance, open items, recent documents, the launcher and the
partner's service requests), the launch (POST, CSRF, admin: creates the service request and
opens the target page), and the ERP views the launcher opens besides FB03: `/erp/fbl5n`
(customer line items) and `/erp/fd10n` (customer balance). REST: the same under
`/api/ic/accounting/...`. The domain is `ic/accounting.py`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse

from sapgw.gateway.api import auth
from sapgw.gateway.ic import accounting
from sapgw.gateway.ic.accounting import IcError
from sapgw.gateway.monitor.pages import ACTION, _e, _gw, _page, _row, _table
from sapgw.rfc.errors import RFCError

router = APIRouter(tags=["monitor pages"], include_in_schema=False)
api = APIRouter(prefix="/api/ic/accounting", tags=["accounting interaction center"])
TITLE = "Accounting Interaction Center"


def _q(**values: str) -> str:
    return urlencode({k: v for k, v in values.items() if v})


def _search_form(bukrs: str, name: str, number: str, city: str) -> str:
    fields = (("Company code", "bukrs", bukrs, 4), ("Name", "name", name, 20),
              ("Partner / customer / vendor", "number", number, 10), ("City", "city", city, 15))
    inputs = "".join(f'<label>{_e(label)} <input name="{key}" value="{_e(value)}" '
                     f'size="{size}"></label> ' for label, key, value, size in fields)
    return (f'<form method="get" action="/ic/accounting">{inputs}<button>Search</button> '
            '<a href="/ic/accounting">clear</a></form>')


@router.get("/ic/accounting", response_class=HTMLResponse)
def ic_search(request: Request, bukrs: str = "1000", name: str = "", number: str = "",
              city: str = "") -> HTMLResponse:
    form = _search_form(bukrs, name, number, city)
    try:
        found = accounting.search(_gw(request), bukrs, name, number, city)
    except IcError as exc:
        return _page(request, TITLE, form, status=400, error=str(exc))
    rows = [_row(f'<a href="/ic/accounting/partner?{_q(partner=p["partner"], bukrs=p["bukrs"])}'
                 f'">{_e(p["partner"])}</a>', _e(p["name"]), _e(p["city"]), _e(p["country"]),
                 _e(p["role"]), _e(p["erp_number"]), _e(p["akont"]), _e(p["zterm"]),
                 _e(p["mahna"])) for p in found]
    table = _table(["Partner", "Name", "City", "Country", "Role", "ERP number",
                    "Recon. account", "Payment terms", "Dunning proc."], rows,
                   f"no partner with company code data in {bukrs}")
    return _page(request, TITLE, form + f"<p>{len(found)} partner(s) in company code "
                                        f"{_e(bukrs.upper())}</p>" + table)


def _money(value: Any) -> str:
    return _e(f"{Decimal(str(value or 0)):,.2f}")


def _launch_button(request: Request, transaction: str, partner: str, bukrs: str,
                   label: str, **extra: str) -> str:
    if not auth.current_user(request).is_admin:
        return f'<button disabled title="needs the admin role">{_e(label)}</button>'
    hidden = {"transaction": transaction, "partner": partner, "bukrs": bukrs, **extra,
              auth.CSRF_FIELD: auth.csrf_token(request)}
    fields = "".join(f'<input type="hidden" name="{_e(k)}" value="{_e(v)}">'
                     for k, v in hidden.items())
    return (f'<form class="inline" method="post" action="/ic/accounting/launch">{fields}'
            f"<button>{_e(label)}</button></form>")


@router.get("/ic/accounting/partner", response_class=HTMLResponse)
def ic_partner(request: Request, partner: str = "", bukrs: str = "1000") -> HTMLResponse:
    gw = _gw(request)
    back = f'<p><a href="/ic/accounting?{_q(bukrs=bukrs)}">back to the search</a></p>'
    try:
        found = accounting.facts(gw, partner, bukrs)
    except IcError as exc:
        return _page(request, TITLE, back, status=400, error=str(exc))
    except RFCError as exc:
        return _page(request, TITLE, back, status=502, error=f"ERP not reachable: {exc}")
    p = found["partner"]
    head = _table(["Field", "Value"], [
        _row("Partner", _e(p["partner"])), _row("Name", _e(p["name"])),
        _row("City", _e(f'{p["city"]} ({p["country"]})')),
        _row("Customer / company code", _e(f'{p["erp_number"]} / {p["bukrs"]}')),
        _row("Reconciliation account", _e(p["akont"])), _row("Payment terms", _e(p["zterm"])),
        _row("Dunning procedure", _e(p["mahna"]))], "")
    launcher = " ".join(_launch_button(request, code, p["partner"], p["bukrs"],
                                       f"{code}: {target.text}")
                        for code, target in accounting.targets().items()
                        if not target.requires)
    balances = _table(["Currency", "Balance", "Line items"], [
        _row(_e(b["LOC_CURRCY"]), _money(b["LC_BAL"]), _e(int(b["ITEMS"])))
        for b in found["balances"]], "no postings: balance 0.00")
    items = _items(found["open_items"])
    documents = _table(["Posting date", "Document", "Year", "Type", "Reference", "Amount",
                        "Launch"], [
        _row(_e(d["PSTNG_DATE"]), _e(d["DOC_NO"]), _e(d["FISC_YEAR"]), _e(d["DOC_TYPE"]),
             _e(d["REF_DOC_NO"]), _money(d["LC_AMOUNT"]),
             _launch_button(request, "FB03", p["partner"], p["bukrs"], "FB03",
                            belnr=d["DOC_NO"], gjahr=d["FISC_YEAR"]))
        for d in found["documents"]], f"no documents in the last {accounting.RECENT_DAYS} days")
    requests = _requests(accounting.service_requests(gw, p["partner"]))
    body = (back + head + f"<h2>Launch</h2><p>{launcher}</p><h2>Balance</h2>{balances}"
            f"<h2>Open items</h2>{items}<h2>Recent documents</h2>{documents}"
            f"<h2>Service requests</h2>{requests}")
    return _page(request, f"{TITLE} · {p['name']}", body,
                 message=request.query_params.get("msg", ""))


def _items(lines: list[dict[str, Any]]) -> str:
    return _table(["Posting date", "Document", "Item", "Posting key", "Assignment", "Text",
                   "Amount", "Currency"], [
        _row(_e(i["PSTNG_DATE"]), _fb03_link(i), _e(i["ITEM_NUM"]), _e(i["POST_KEY"]),
             _e(i["ALLOC_NMBR"]), _e(i["ITEM_TEXT"]), _money(i["LC_AMOUNT"]),
             _e(i["LOC_CURRCY"])) for i in lines], "no open items")


def _fb03_link(item: dict[str, Any]) -> str:
    query = _q(bukrs=item["COMP_CODE"], belnr=item["DOC_NO"], gjahr=item["FISC_YEAR"])
    return f'<a href="/fb03?{_e(query)}">{_e(item["DOC_NO"])}</a>'


def _requests(found: list[dict[str, Any]]) -> str:
    return _table(["Service request", "Type", "Description", "Transaction", "ERP user",
                   "Customer", "Company code", "Object", "Date"], [
        _row(_e(r["object_id"]), _e(r["process_type"]), _e(r["description"]),
             _e(r["transaction"]), _e(r["erp_user"]), _e(r["customer"]), _e(r["bukrs"]),
             _e(r["erp_object"]), _e(r["posting_date"])) for r in found], "none yet")


@router.post("/ic/accounting/launch", **ACTION)
async def ic_launch(request: Request) -> HTMLResponse | RedirectResponse:
    """Launch a transaction: the service request is stored, then its page opens."""
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")
                                         ).items()}
    extra = {k: v for k, v in form.items()
             if k not in ("transaction", "partner", "bukrs", auth.CSRF_FIELD)}
    try:
        done = await run_in_threadpool(
            accounting.launch, _gw(request), form.get("transaction", ""),
            form.get("partner", ""), form.get("bukrs", ""), auth.current_user(request).name,
            extra)
    except IcError as exc:
        query = _q(partner=form.get("partner", ""), bukrs=form.get("bukrs", ""))
        back = f'<p><a href="/ic/accounting/partner?{_e(query)}">back to the partner</a></p>'

        return _page(request, TITLE, back, status=400, error=str(exc))
    return RedirectResponse(done["url"], status_code=303)


def _erp_account(request: Request, title: str, bukrs: str, customer: str, function: str,
                 render: Any, **extra: str) -> HTMLResponse:
    gw = _gw(request)
    form = (f'<form method="get" action="{_e(request.url.path)}"><label>Company code <input '
            f'name="bukrs" value="{_e(bukrs)}" size="4"></label> <label>Customer <input '
            f'name="customer" value="{_e(customer)}" size="10"></label> '
            "<button>Display</button></form>")
    if not customer.strip():
        return _page(request, title, form, status=400 if request.url.query else 200,
                     error="Enter a customer" if request.url.query else "")
    conn = gw.destination(gw.settings.rfc_destination or "ERP")
    try:
        answer = conn.call(function, COMPANYCODE=bukrs, CUSTOMER=customer,
                           KEYDATE=gw.clock.today().strftime("%Y%m%d"), **extra)
    except RFCError as exc:
        return _page(request, title, form, status=502, error=f"ERP not reachable: {exc}")
    finally:
        conn.close()
    if answer["RETURN"].get("TYPE") in ("E", "A"):
        return _page(request, title, form, status=400,
                     error=f"{answer['RETURN']['MESSAGE']} ({answer['RETURN']['CODE']})")
    return _page(request, f"{title} · customer {customer} in {bukrs}", form + render(answer))


@router.get("/erp/fbl5n", response_class=HTMLResponse)
def erp_fbl5n(request: Request, bukrs: str = "1000", customer: str = "") -> HTMLResponse:
    """FBL5N-like: the customer's open line items at today (BAPI_AR_ACC_GETOPENITEMS)."""
    return _erp_account(request, "FBL5N · Customer line items", bukrs, customer,
                        "BAPI_AR_ACC_GETOPENITEMS", lambda a: _items(a["LINEITEMS"]))


@router.get("/erp/fd10n", response_class=HTMLResponse)
def erp_fd10n(request: Request, bukrs: str = "1000", customer: str = "") -> HTMLResponse:
    """FD10N-like: the customer's balance at today (BAPI_AR_ACC_GETKEYDATEBALANCE)."""
    return _erp_account(request, "FD10N · Customer balance", bukrs, customer,
                        "BAPI_AR_ACC_GETKEYDATEBALANCE", lambda a: _table(
                            ["Currency", "Balance", "Line items"],
                            [_row(_e(b["LOC_CURRCY"]), _money(b["LC_BAL"]), _e(int(b["ITEMS"])))
                             for b in a["KEYBALANCE"]], "no postings: balance 0.00"))


# -- REST -------------------------------------------------------------------------------------
def _refused(exc: IcError) -> JSONResponse:
    return JSONResponse({"error": "BAD_REQUEST", "message": str(exc)}, status_code=400)


@api.get("/partners")
def api_search(request: Request, bukrs: str = "", name: str = "", number: str = "",
               city: str = "") -> Any:
    """Partners with company code data in `bukrs`, by name, number, city (CDB)."""
    try:
        return {"items": accounting.search(_gw(request), bukrs, name, number, city)}
    except IcError as exc:
        return _refused(exc)


@api.get("/partners/{partner}")
def api_facts(request: Request, partner: str, bukrs: str = "") -> Any:
    """The partner's open items, balances and recent documents, read from the ERP."""
    try:
        return accounting.facts(_gw(request), partner, bukrs)
    except IcError as exc:
        return _refused(exc)


class Launch(BaseModel):
    transaction: str = Field(description="Launch transaction (launcher.toml: FB03, FBL5N, FD10N)")
    partner: str
    bukrs: str
    fields: dict[str, str] = Field(default_factory=dict, description="e.g. BELNR, GJAHR")


@api.post("/launch", status_code=201)
def api_launch(request: Request, body: Launch) -> Any:
    """Launch a transaction for a partner: the page to open and the service request."""
    try:
        return accounting.launch(_gw(request), body.transaction, body.partner, body.bukrs,
                                 auth.current_user(request).name, body.fields)
    except IcError as exc:
        return _refused(exc)


@api.get("/service-requests")
def api_service_requests(request: Request, partner: str = "") -> Any:
    """Service requests created from launches, newest first."""
    return {"items": accounting.service_requests(_gw(request), partner)}
