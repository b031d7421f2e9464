"""SMW02, the SMWP cockpit and the ERP displays (FB03, KO03, IAOMC, CJ20N) as web pages.

Read-only, in the frame and helpers of `pages` (same look, every value escaped). SMW02 and
SMWP read `monitor.summary`; the ERP displays read `monitor.erp_views` over the gateway's RFC
destination, never the ERP's database. An unknown key answers a 404 page saying what was
looked for; a malformed one a 400; an ERP that cannot be reached a 502.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from sapgw.bdoc.states import BDocState
from sapgw.gateway.monitor import erp_views, summary
from sapgw.gateway.monitor.pages import _e, _gw, _int, _light, _page, _row, _table
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import RFCError

router = APIRouter(tags=["monitor pages"], include_in_schema=False)


# -- SMW02 ---------------------------------------------------------------------------------------
@router.get("/smw02", response_class=HTMLResponse)
def smw02(request: Request, hours: str = "24") -> HTMLResponse:
    gw = _gw(request)
    data = summary.smw02(gw.db, gw.clock.now(), _int(hours, 24, 1, 168))
    states = sorted({c["state"] for c in data["counts"]})
    grid: dict[str, dict[str, int]] = {}
    for c in data["counts"]:
        grid.setdefault(c["type"], {})[c["state"]] = c["count"]

    def cell(bdoc_type: str, state: str) -> str:
        n = grid[bdoc_type].get(state)
        query = urlencode({"type": bdoc_type, "state": state})
        return f'<a href="/smw01?{_e(query)}">{n}</a>' if n else ""

    headers = ["BDoc type", *(f"{s}" for s in states), "Total"]
    by_type = _table(headers, (_row(
        f'<a href="/smw01?{_e(urlencode({"type": t}))}">{_e(t)}</a>',
        *(cell(t, s) for s in states), _e(sum(grid[t].values()))) for t in grid), "no BDocs")
    legend = " · ".join(f"{_light(BDocState(s).light)} {_e(s)} {_e(BDocState(s).text)}"
                        for s in states)
    hourly = _table(["Hour (UTC)", "Received", "Final", "In process", "Error"], (_row(
        f'<a href="/smw01?{_e(urlencode(_hour_range(h["hour"])))}">{_e(_hhmm(h["hour"]))}</a>',
        _e(h["total"]), _e(h["green"]), _e(h["yellow"]), _e(h["red"]),
        cls="error" if h["red"] else "") for h in reversed(data["hourly"])))
    body = (f"<h2>By BDoc type and state</h2>{by_type}<p><small>{legend}</small></p>"
            f"<h2>Received per hour, last {len(data['hourly'])} h (state as of now)</h2>{hourly}")
    return _page(request, "SMW02 · BDoc summary", body)


def _hhmm(moment: str) -> str:
    return moment[:16].replace("T", " ")


def _hour_range(hour: str) -> dict[str, str]:
    """The SMW01 filter for the BDocs received in one hour."""
    start = datetime.fromisoformat(hour.replace("Z", "+00:00"))
    return {"from": start.strftime("%Y-%m-%dT%H:%M"),
            "to": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}


# -- SMWP ----------------------------------------------------------------------------------------
def svg_chart(title: str, values: Sequence[int], colour: str, width: int = 480,
              height: int = 140) -> str:
    """A line chart of one value per minute, drawn here so the page needs no script."""
    top = max(max(values, default=0), 1)
    left, right, upper, lower = 34, width - 8, 20, height - 18
    step = (right - left) / max(len(values) - 1, 1)
    points = " ".join(f"{left + i * step:.1f},{lower - (v / top) * (lower - upper):.1f}"
                      for i, v in enumerate(values))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'role="img" aria-label="{_e(title)}"><title>{_e(title)}</title>'
            f'<text x="{left}" y="13" font-size="12">{_e(title)}</text>'
            f'<line x1="{left}" y1="{lower}" x2="{right}" y2="{lower}" stroke="#999"/>'
            f'<line x1="{left}" y1="{upper}" x2="{left}" y2="{lower}" stroke="#999"/>'
            f'<text x="{left - 4}" y="{upper + 4}" font-size="10" text-anchor="end">{top}</text>'
            f'<text x="{left - 4}" y="{lower}" font-size="10" text-anchor="end">0</text>'
            f'<text x="{left}" y="{height - 4}" font-size="10">−60 min</text>'
            f'<text x="{right}" y="{height - 4}" font-size="10" text-anchor="end">now</text>'
            f'<polyline fill="none" stroke="{_e(colour)}" stroke-width="2" '
            f'points="{points}"/></svg>')


@router.get("/smwp", response_class=HTMLResponse)
def smwp(request: Request) -> HTMLResponse:
    gw = _gw(request)
    data = summary.smwp(gw.db, gw.clock.now())
    lights = _table(["", "Figure", "Value", ""], (_row(
        _light(x["light"]), _e(x["label"]), _e(x["value"]), f'<a href="{_e(x["link"])}">open</a>',
        cls="error" if x["light"] == "red" else "warn" if x["light"] == "yellow" else "")
        for x in data["lights"]))
    blocked = _table(["Queue", "Direction", "Status", "Destination", "Error"], (_row(
        f'<a href="/{_tx(q["direction"])}/{_e(quote(q["name"]))}">{_e(q["name"])}</a>',
        _e(q["direction"]), _e(q["status"]), _e(q["destination"]), _e(q["error"]),
        cls="error") for q in data["blocked_queues"]), "no blocked queues")
    series = data["last_hour"]
    links = " · ".join(f'<a href="{_e(href)}">{_e(label)}</a>' for label, href in (
        ("BDocs in error", "/smw01?state=" + ",".join(summary.ERROR_STATES)),
        ("SMQ1", "/smq1"), ("SMQ2", "/smq2"), ("SMW02", "/smw02")))
    charts = (svg_chart("Throughput: BDocs reaching F04 per minute", series["throughput"],
                        "#2a2")
              + " " + svg_chart("Backlog: BDocs not final", series["backlog"], "#d80"))
    body = (f"{lights}<h2>Last hour</h2><p>{charts}</p>"
            f"<p><small>{sum(series['throughput'])} BDocs confirmed in the last hour · "
            f"{series['backlog'][-1]} open now</small></p>"
            f"<h2>Blocked queues</h2>{blocked}<p>{links}</p>")
    return _page(request, "SMWP · Middleware cockpit", body)


def _tx(direction: str) -> str:
    return "smq1" if direction == "out" else "smq2"


# -- ERP displays ----------------------------------------------------------------------------------
def _erp(request: Request, title: str, read: Callable[[RfcConnection], Any],
         render: Callable[[Any], str], form: str, missing: str) -> HTMLResponse:
    """Read through the ERP destination and render, or answer 400/404/502 in the page frame."""
    gw = _gw(request)
    conn = gw.destination(gw.settings.rfc_destination or "ERP")
    try:
        found = read(conn)
    except ValueError as exc:
        return _page(request, title, form, status=400, error=str(exc))
    except RFCError as exc:
        return _page(request, title, form, status=502, error=f"ERP not reachable: {exc}")
    finally:
        conn.close()
    if found is None:  # the search stays, to correct the key
        return _page(request, title, form, status=404, error=missing)
    return _page(request, title, form + render(found))


def _form(action: str, *fields: tuple[str, str, str, int]) -> str:
    inputs = "".join(f'<label>{_e(label)} <input name="{name}" value="{_e(value)}" '
                     f'size="{size}"></label> ' for label, name, value, size in fields)
    return f'<form method="get" action="{action}">{inputs}<button>Display</button></form>'


def _fields(pairs: Sequence[tuple[str, Any]]) -> str:
    return _table(["Field", "Value"], (_row(_e(k), _e(v)) for k, v in pairs))


@router.get("/fb03", response_class=HTMLResponse)
def fb03(request: Request, bukrs: str = "1000", belnr: str = "", gjahr: str = "",
         xblnr: str = "") -> HTMLResponse:
    form = _form("/fb03", ("Company code", "bukrs", bukrs, 4), ("Document", "belnr", belnr, 10),
                 ("Fiscal year", "gjahr", gjahr, 4), ("or reference (XBLNR)", "xblnr", xblnr, 16))
    if belnr:
        return _erp(request, f"FB03 · Document {belnr}",
                    lambda c: erp_views.fi_document(c, bukrs, belnr, gjahr), _document, form,
                    f"document {belnr} does not exist in company code {bukrs} year {gjahr}")
    if xblnr:
        return _erp(request, f"FB03 · Documents with reference {xblnr}",
                    lambda c: erp_views.fi_documents_by_reference(c, xblnr) or None,
                    _document_list, form, f"no FI document has the reference {xblnr}")
    return _page(request, "FB03 · Display document", form)


def _document(d: dict[str, Any]) -> str:
    header = _fields([(k, d[k]) for k in erp_views.BKPF_FIELDS])
    lines = _table(["Item", "PK", "D/C", "Amount", "G/L account", "Customer", "Vendor",
                    "Cost center", "Order", "Text"], (_row(
        _e(x["BUZEI"]), _e(x["BSCHL"]), _e(x["SHKZG"]), _e(f"{x['WRBTR']:,.2f}"),
        _e(x["HKONT"]), _e(x["KUNNR"]), _e(x["LIFNR"]), _e(x["KOSTL"]),
        f'<a href="/ko03?aufnr={_e(quote(x["AUFNR"]))}">{_e(x["AUFNR"])}</a>'
        if x["AUFNR"] else "", _e(x["SGTXT"])) for x in d["lines"]))
    return (f"<h2>Header</h2>{header}<h2>Line items</h2>{lines}<p>Debit {d['debit']:,.2f} · "
            f"Credit {d['credit']:,.2f} {_e(d['WAERS'])}</p>")


def _document_list(docs: list[dict[str, str]]) -> str:
    return _table(["Company code", "Document", "Year", "Posted", "Reference", "Text"], (_row(
        _e(d["BUKRS"]),
        f'<a href="/fb03?{_e(urlencode({k.lower(): d[k] for k in ("BUKRS", "BELNR", "GJAHR")}))}">'
        f'{_e(d["BELNR"])}</a>', _e(d["GJAHR"]), _e(d["BUDAT"]), _e(d["XBLNR"]),
        _e(d["BKTXT"])) for d in docs))


@router.get("/ko03", response_class=HTMLResponse)
def ko03(request: Request, aufnr: str = "") -> HTMLResponse:
    form = _form("/ko03", ("Order", "aufnr", aufnr, 12))
    if not aufnr:
        return _page(request, "KO03 · Display internal order", form)
    return _erp(request, f"KO03 · Order {aufnr}", lambda c: erp_views.internal_order(c, aufnr),
                _order, form, f"internal order {aufnr} does not exist")


def _order(o: dict[str, Any]) -> str:
    header = _fields([(k, o[k]) for k in erp_views.AUFK_FIELDS])
    items = _table(["CO document", "Item", "Year", "Period", "Cost element", "Value (CO area)",
                    "Value (transaction)", "Currency", "D/C", "Text"], (_row(
        _e(x["BELNR"]), _e(x["BUZEI"]), _e(x["GJAHR"]), _e(x["PERIO"]), _e(x["KSTAR"]),
        _e(f"{x['WKGBTR']:,.2f}"), _e(f"{x['WTGBTR']:,.2f}"), _e(x["TWAER"]), _e(x["BEKNZ"]),
        _e(x["SGTXT"])) for x in o["items"]), "no CO line items")
    totals = _table(["Cost element", "Total (CO area)"], [
        *(_row(_e(t["KSTAR"]), _e(f"{t['WKGBTR']:,.2f}")) for t in o["totals"]),
        _row("<b>Total</b>", f"<b>{o['total']:,.2f}</b>")])
    periods = _table(["Year", "Period", "Cost element", "External (COSP)", "Internal (COSS)",
                      "Total (CO area)"], (_row(
        _e(p["GJAHR"]), _e(p["PERIO"]), _e(p["KSTAR"]), _e(f"{p['COSP']:,.2f}"),
        _e(f"{p['COSS']:,.2f}"), _e(f"{p['WKG']:,.2f}")) for p in o["periods"]), "no totals")
    return (f"<h2>Master data</h2>{header}<h2>CO line items</h2>{items}"
            f"<h2>Totals by cost element</h2>{totals}"
            f"<h2>Totals by cost element and period (COSP/COSS)</h2>{periods}")


@router.get("/iaomc", response_class=HTMLResponse)
def iaomc(request: Request, scenario: str = "CRMFM", key: str = "") -> HTMLResponse:
    form = _form("/iaomc", ("Business scenario", "scenario", scenario, 16),
                 ("Key", "key", key, 34))
    if not key:
        return _page(request, "IAOMC · Account assignment object", form)
    return _erp(request, f"IAOMC · {scenario} {key}",
                lambda c: erp_views.iaom_assignment(c, scenario, key), _assignment, form,
                f"no account assignment object for scenario {scenario} and key "
                f"{erp_views.alpha_head(key, 20)}")


def _assignment(a: dict[str, Any]) -> str:
    links = []
    if a.get("AUFNR"):
        links.append(f'<a href="/ko03?aufnr={_e(quote(a["AUFNR"]))}">KO03 order '
                     f"{_e(a['AUFNR'])}</a>")
    if a.get("POSID"):
        links.append(f"WBS element {_e(a['POSID'])}")
    return _fields(list(a.items())) + f"<p>{' · '.join(links)}</p>"


@router.get("/cj20n", response_class=HTMLResponse)
def cj20n(request: Request, project: str = "") -> HTMLResponse:
    form = _form("/cj20n", ("Project definition", "project", project, 24))
    if not project:
        return _page(request, "CJ20N · Project", form)
    return _erp(request, f"CJ20N · Project {project}", lambda c: erp_views.project(c, project),
                _project, form, f"project {project} does not exist")


def _project(p: dict[str, Any]) -> str:
    header = _fields([(k, v) for k, v in p.items() if k != "wbs_elements"])
    wbs = _table(["WBS element", "Description", "Company code", "CO area", "Object number"], (
        _row(_e(w["WBS_ELEMENT"]), _e(w["DESCRIPTION"]), _e(w["COMPANY_CODE"]),
             _e(w["CONTROLLING_AREA"]), _e(w["OBJECT_NO"])) for w in p["wbs_elements"]),
        "no WBS elements")
    return f"<h2>Project definition</h2>{header}<h2>WBS elements</h2>{wbs}"
