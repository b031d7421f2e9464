"""SMW01 (BDocs) and SMQ1/SMQ2 (queues) as server-rendered web pages.

The pages read through `monitor.queries`, the layer REST and CLI use, and act through
`gateway.actions`, so the three views can never disagree. HTML comes from small functions
that escape every value with `html.escape`: no template engine, no JavaScript, one inline
style sheet, so a page is one fast request. Each page lives at its transaction code in lower
case; list filters are query parameters named after the filter (`/smw01?state=E06`).

Who may read and act is decided before a page runs (`api.auth`: display reads, admin acts);
a page shows the user, offers actions to admins only, and every form carries the user's
CSRF token, which the POST routes check (`auth.csrf_protect`). Actions are written to the
audit log through `audit.AuditedActions`, as REST's are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse

from sapgw.bdoc.states import BDocState, IllegalTransition
from sapgw.gateway import inputs
from sapgw.gateway.actions import DATA_ERRORS, ActionRefused
from sapgw.gateway.api import auth
from sapgw.gateway.audit import BDOC_ACTIONS, QUEUE_ACTIONS, AuditedActions
from sapgw.gateway.inputs import InvalidInput
from sapgw.gateway.monitor import erp_views, queries
from sapgw.gateway.queues.status import TEXTS as QUEUE_TEXTS
from sapgw.gateway.queues.status import QueueStatus
from sapgw.gateway.runtime import Gateway
from sapgw.rfc.errors import RFCError
from sapgw.rfc.message_line import exception_line

router = APIRouter(tags=["monitor pages"], include_in_schema=False)
ACTION: dict[str, Any] = {"response_class": HTMLResponse, "response_model": None,
                          "dependencies": [Depends(auth.csrf_protect)]}

CSS = """body{font:14px system-ui,sans-serif;margin:1em 2em;color:#222}
nav a{margin-right:1em}nav .user{float:right}table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#eee}.light{display:inline-block;width:.9em;height:.9em;border-radius:50%}
.light-green{background:#2a2}.light-yellow{background:#eb0}.light-red{background:#d22}
tr.error td{background:#fdd}tr.warn td{background:#ffd}.msg{padding:.4em;margin:.5em 0}
.ok{background:#dfd}.err{background:#fdd;font-weight:bold}pre{margin:0}
form.inline{display:inline}small{color:#666}.nowrap{white-space:nowrap}"""

QUEUE_TX = {"smq1": "out", "smq2": "in"}
BLOCKED = {QueueStatus.SYSFAIL, QueueStatus.CPICERR, QueueStatus.STOP, QueueStatus.ARETRY,
           QueueStatus.ANORETRY}


def _gw(request: Request) -> Gateway:
    return request.app.state.gateway


def _audited(request: Request) -> AuditedActions:
    return request.app.state.audit


# -- HTML helpers ------------------------------------------------------------------------------
def _e(value: Any) -> str:
    return escape("" if value is None else str(value))


def _ts(iso: str | None) -> str:
    return iso[:19].replace("T", " ") if iso else ""


def _light(light: str) -> str:
    return f'<span class="light light-{_e(light)}" title="{_e(light)}"></span>'


def _table(headers: Sequence[str], rows: Iterable[str], empty: str = "none") -> str:
    body = "".join(rows) or f'<tr><td colspan="{len(headers)}">{_e(empty)}</td></tr>'
    return f"<table><tr>{''.join(f'<th>{_e(h)}</th>' for h in headers)}</tr>{body}</table>"


def _row(*cells: str, cls: str = "") -> str:
    attribute = f' class="{cls}"' if cls else ""
    return f"<tr{attribute}>{''.join(f'<td>{c}</td>' for c in cells)}</tr>"


def _button(request: Request, action: str, label: str) -> str:
    """A POST form with the user's CSRF token; a disabled button for users without admin."""
    if not auth.current_user(request).is_admin:
        return f'<button disabled title="needs the admin role">{_e(label)}</button>'
    return (f'<form class="inline" method="post" action="{_e(action)}">'
            f'<input type="hidden" name="{auth.CSRF_FIELD}" value="{auth.csrf_token(request)}">'
            f"<button>{_e(label)}</button></form>")


def _tree(value: Any) -> str:
    """BDoc data segments as nested tables: a dict is a field table, a list of rows a grid."""
    if isinstance(value, dict):
        return _table(["Field", "Value"], (_row(_e(k), _tree(v)) for k, v in value.items()))
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        columns = list(dict.fromkeys(k for v in value for k in v))
        return _table(columns, (_row(*(_tree(v.get(c, "")) for c in columns)) for v in value))
    if isinstance(value, list):
        return "<br>".join(_tree(v) for v in value)
    return _e(value)


NAVIGATION = "".join(f'<a href="/{code.lower()}">{code}</a>' for code in (
    "SMWP", "SMW01", "SMW02", "SMQ1", "SMQ2", "SMQR", "SMQS", "FB03", "KO03", "IAOMC",
    "CJ20N")) + "".join(f'<a href="{path}">{code}</a>' for code, path in (
        ("KKA3", "/erp/kka3"), ("KE24", "/erp/ke24"), ("MB51", "/erp/mb51"),
        ("CATSDB", "/catsdb"), ("CRMSRV", "/crmsrv"), ("FP_RAI_MON", "/erp/fp_rai_mon"),
        ("RAR contracts", "/rar/contracts"), ("SM37", "/sm37"), ("R3AM1", "/r3am1"),
        ("ERP SMQ1", "/erp/smq1"), ("Document flow", "/flow"),
        ("Accounting IC", "/ic/accounting"), ("Automotive IC", "/ic/automotive")))


def _page(request: Request, title: str, body: str, *, status: int = 200,
          message: str = "", error: str = "") -> HTMLResponse:
    """The page frame: navigation, when it was read, refresh links, and the banners."""
    refresh = _int(request.query_params.get("refresh"), 0, 0, 3600)
    refresh = max(refresh, 2) if refresh else 0  # refresh=0 switches it off
    plain = request.url.remove_query_params(["refresh", "msg"])
    here = plain.path + (f"?{plain.query}" if plain.query else "")
    auto = plain.include_query_params(refresh=refresh or 5)
    switch = (f'auto-refresh every {refresh} s · <a href="{_e(here)}">switch off</a>' if refresh
              else f'<a href="{_e(auto.path + "?" + auto.query)}">auto-refresh every 5 s</a>')
    read_at = _gw(request).clock.now().astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    meta = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
    user = auth.current_user(request)
    banners = (f'<div class="msg ok">{_e(message)}</div>' if message else "") + (
        f'<div class="msg err">{_e(error)}</div>' if error else "")
    html = (f'<!doctype html><html><head><meta charset="utf-8">{meta}<title>{_e(title)}'
            f"</title><style>{CSS}</style></head><body><nav>{NAVIGATION}"
            f'<small class="user">{_e(user.name)} ({_e(user.role)})</small></nav>'
            f"<h1>{_e(title)}</h1><p><small>Read at {read_at} UTC · "
            f'<a href="{_e(here)}">refresh</a> · {switch}</small></p>{banners}{body}'
            "</body></html>")
    return HTMLResponse(html, status_code=status)


def refused(request: Request, why: str) -> HTMLResponse:
    """403 for a form posted without a valid CSRF token."""
    return _page(request, "Not allowed", "", status=403, error=why)


def bad_input(request: Request, why: str) -> HTMLResponse:
    """400 for a value typed into a page's filter that cannot work (`gateway.inputs`), with a
    way back to the page without it."""
    back = f'<p><a href="{_e(request.url.path)}">back to {_e(request.url.path)}</a></p>'
    return _page(request, "Input not valid", back, status=400, error=why)


def _not_found(request: Request, what: str, search: str = "") -> HTMLResponse:
    """404 in the page frame; `search` is the form to look again with (kept on Not found)."""
    return _page(request, "Not found", search, status=404, error=what)


def _bdoc_search(bdoc_id: str) -> str:
    return ('<form method="get" action="/smw01"><label>BDoc ID (or its start) <input name="id" '
            f'value="{_e(bdoc_id)}" size="34"></label> <button>Search</button></form>')


def _int(raw: str | None, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(int(raw or ""), high))
    except ValueError:
        return default


def _moment(raw: str | None, name: str, problems: list[str]) -> datetime | None:
    """A filter date or date-time; naive values are UTC, as everything stored is."""
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        problems.append(f"{name}: {raw!r} is not a date or date-time (YYYY-MM-DD[THH:MM])")
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# -- SMW01 -------------------------------------------------------------------------------------
@router.get("/smw01", response_class=HTMLResponse)
def smw01(request: Request, state: str = "", bdoc_type: str = Query("", alias="type"),
          key: str = "", context: str = "", sender: str = "", queue: str = "",
          bdoc_id: str = Query("", alias="id"),
          created_from: str = Query("", alias="from"), created_to: str = Query("", alias="to"),
          limit: str = "50", after: str = "", msg: str = "") -> HTMLResponse:
    problems: list[str] = []
    f = queries.BDocFilter()
    gw = _gw(request)
    try:
        rows_shown = inputs.whole_number("Rows (limit)", limit, 1, 1000)
        if bdoc_type:
            bdoc_type = inputs.one_of("BDoc type", bdoc_type, sorted(gw.types))
        f = queries.BDocFilter(
            state=state or None, bdoc_type=bdoc_type or None, object_key=key or None,
            flow_context=context or None, sender=sender or None, queue=queue or None,
            bdoc_id=bdoc_id or None, created_from=_moment(created_from, "from", problems),
            created_to=_moment(created_to, "to", problems), limit=rows_shown,
            after=after or None)
    except inputs.InvalidInput as exc:
        problems.append(str(exc))
    # A filter that cannot work lists nothing (with the reason), never everything.
    listed = ({"items": [], "next": None} if problems
              else queries.bdoc_list(gw.db, f))
    counts, capped = ({}, False) if problems else queries.state_counts(gw.db, f)
    params = {k: v for k, v in {"type": bdoc_type, "key": key, "context": context,
                                "sender": sender, "queue": queue, "id": bdoc_id,
                                "from": created_from, "to": created_to,
                                "limit": limit if limit != "50" else ""}.items() if v}
    count_links = " · ".join(
        f'{_light(BDocState(s).light)} <a href="/smw01?{_e(urlencode({**params, "state": s}))}">'
        f"{_e(s)}</a> {n}" for s, n in counts.items()) or "no BDocs"
    if capped:
        count_links += f" <small>(counted over the newest {queries.COUNT_CAP:,} only)</small>"
    fields = "".join(
        f'<label>{label} <input name="{name}" value="{_e(value)}" size="{size}"></label> '
        for label, name, value, size in (
            ("State", "state", state, 8), ("BDoc type", "type", bdoc_type, 12),
            ("Key", "key", key, 12), ("Flow context", "context", context, 4),
            ("Sender", "sender", sender, 6), ("Queue", "queue", queue, 14),
            ("BDoc ID", "id", bdoc_id, 12), ("From", "from", created_from, 16),
            ("To", "to", created_to, 16), ("Rows", "limit", limit, 4)))
    rows = (_row(_light(b["light"]), _e(b["state"]), _e(b["state_text"]), _e(b["type"]),
                 _e(b["object_key"]), _e(b["flow_context"]), _e(b["sender"]),
                 _e(_ts(b["created_at"])), _e(b["error"]),
                 f'<a href="/smw01/{_e(b["bdoc_id"])}">{_e(b["bdoc_id"])}</a>')
            for b in listed["items"])
    if state:
        params["state"] = state
    paging = []
    if after:
        paging.append(f'<a href="/smw01?{_e(urlencode(params))}">first page</a>')
    if listed["next"]:
        query = urlencode({**params, "after": listed["next"]})
        paging.append(f'<a href="/smw01?{_e(query)}">next page</a>')
    body = (f'<form method="get" action="/smw01">{fields}<button>Filter</button> '
            f'<a href="/smw01">clear</a></form><p>{count_links}</p>'
            + _table(["", "State", "State text", "BDoc type", "Object key", "Flow", "Sender",
                      "Created (UTC)", "Error", "BDoc ID"], rows, "no BDocs match")
            + f"<p>{' · '.join(paging)}</p>")
    return _page(request, "SMW01 · BDoc messages", body, message=msg,
                 error="; ".join(problems))


def _nowrap(text: str) -> str:
    return f'<span class="nowrap">{_e(text)}</span>'


# The ERP display transactions this monitor has pages for (cockpit_pages).
ERP_DISPLAYS = frozenset({"FB03", "KO03", "IAOMC", "CJ20N", "CRMSRV"})


def _erp_links(gw: Gateway, b: dict[str, Any]) -> str:
    """Where to see what the BDoc produced in the ERP, as its scenario declares it: a link to
    the display transaction's page for an object the ERP has (read over RFC: a failed BDoc
    may have produced nothing), plain text for a transaction without a page here."""
    links = gw.scenarios.links(b["type"], b.get("data"))
    if not links:
        return ""
    shown = []
    conn = gw.destination(gw.settings.rfc_destination or "ERP")
    try:
        for link in links:
            text = _e(f"{link.transaction} {link.label}")
            if link.transaction not in ERP_DISPLAYS:
                shown.append(text)
            elif erp_views.exists(conn, link.transaction, dict(link.params)):
                query = urlencode(dict(link.params))
                shown.append(f'<a href="/{link.transaction.lower()}?{_e(query)}">{text}</a>')
            else:
                shown.append(f'{text} <small class="missing">(not in the ERP)</small>')
    except RFCError as exc:
        return f"<h2>In the ERP</h2><p>ERP not reachable: {_e(exception_line(exc))}</p>"
    finally:
        conn.close()
    return "<h2>In the ERP</h2><p>" + " · ".join(shown) + "</p>"


def _flow_links(b: dict[str, Any]) -> str:
    """The document flow (docflow/routes.py) of this BDoc and of its object key."""
    keys = [(b["bdoc_id"], "of this BDoc")]
    if b["object_key"]:
        keys.append((b["object_key"], f"of object key {b['object_key']}"))
    shown = " · ".join(f'<a href="/flow?{_e(urlencode({"key": k}))}">{_e(label)}</a>'
                       for k, label in keys)
    return f"<h2>Document flow</h2><p>{shown}</p>"


@router.get("/smw01/{bdoc_id}", response_class=HTMLResponse)
def smw01_detail(request: Request, bdoc_id: str, msg: str = "") -> HTMLResponse:
    return _bdoc_page(request, bdoc_id.upper(), message=msg)


def _bdoc_page(request: Request, bdoc_id: str, *, status: int = 200, message: str = "",
               error: str = "") -> HTMLResponse:
    try:
        b = queries.bdoc_detail(_gw(request).db, bdoc_id)
    except LookupError:
        return _not_found(request, f"BDoc {bdoc_id} does not exist", _bdoc_search(bdoc_id))
    header = _table(["Field", "Value"], (_row(_e(k), v) for k, v in (
        ("BDoc ID", _e(b["bdoc_id"])), ("BDoc type", _e(b["type"])),
        ("State", f'{_light(b["light"])} {_e(b["state"])} {_e(b["state_text"])}'),
        ("Flow context", _e(b["flow_context"])), ("Sender", _e(b["sender"])),
        ("Object key", _e(b["object_key"])), ("Created (UTC)", _e(_ts(b["created_at"]))),
        ("Changed (UTC)", _e(_ts(b["updated_at"]))), ("Error", _e(b["error"])))))
    base = f"/smw01/{quote(b['bdoc_id'])}"
    actions = (" ".join(_button(request, f"{base}/{a}", label) for a, label in (
        ("reprocess", "Reprocess"), ("set-processed", "Set to processed (F03)"),
        ("discard", "Discard (F01)"))) if b["light"] == "red"
        else "<small>Actions apply to BDocs in an error state only.</small>"
    ) + _change_form(request, b)
    receivers = (_row(_e(r["site"]), _e(r["state"]),
                      f'<a href="/smq1/{_e(quote(r["queue"]))}">{_e(r["queue"])}</a>'
                      if r["queue"] else "", _e(r["tid"]), _e(r["error"]),
                      cls="error" if r["error"] else "") for r in b["receivers"])
    log = (_row(_nowrap(_ts(e["time"])), _e(e["service"]),
                _e(f"{e['state_from']} → {e['state_to']}" if e["state_to"] else ""),
                _e(e["type"]),
                _nowrap(f"{e['id']} {e['number']}".strip()),
                _e(e["message"]),
                cls={"E": "error", "A": "error", "W": "warn"}.get(e["type"], ""))
           for e in b["log"])
    body = (f"<h2>Header</h2>{header}<p>{actions}</p><h2>Receivers</h2>"
            + _table(["Site", "State", "Queue", "TID", "Error"], receivers)
            + "<h2>Flow log</h2>"
            + _table(["Time (UTC)", "Service", "State change", "Type", "Message ID",
                      "Message"], log)
            + _erp_links(_gw(request), b) + _flow_links(b)
            + f"<h2>Data segments</h2>{_tree(b['data'])}")
    return _page(request, f"SMW01 · BDoc {b['bdoc_id']}", body, status=status,
                 message=message, error=error)


def _change_form(request: Request, b: dict[str, Any]) -> str:
    """SMW01's data change for a BDoc whose own data is the cause (E04, E08), admin only."""
    if b["state"] not in DATA_ERRORS:
        return ""
    if not auth.current_user(request).is_admin:
        return "<p><small>Changing the data needs the admin role.</small></p>"
    return (f'<h2>Change data</h2><form method="post" action="/smw01/{_e(quote(b["bdoc_id"]))}'
            f'/change-data"><input type="hidden" name="{auth.CSRF_FIELD}" '
            f'value="{auth.csrf_token(request)}"><label>Field <input name="path" size="24" '
            'placeholder="HEADER.COMP_CODE or ITEMS.1.AMOUNT"></label> <label>New value '
            '<input name="value" size="24"></label> <button>Change</button></form><p><small>'
            "Old and new values go to the log and the audit log; then Reprocess runs the flow "
            "on the changed data.</small></p>")


@router.post("/smw01/{bdoc_id}/change-data", **ACTION)
async def smw01_change_data(request: Request, bdoc_id: str) -> HTMLResponse | RedirectResponse:
    """Set one field of an erroneous BDoc's data (the form of `_change_form`)."""
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    path, value = form.get("path", [""])[0], form.get("value", [""])[0]
    bdoc_id = bdoc_id.upper()
    try:
        done = await run_in_threadpool(_audited(request).change_data,
                                       auth.current_user(request).name, bdoc_id, {path: value})
    except (ActionRefused, InvalidInput) as exc:
        return await run_in_threadpool(_bdoc_page, request, bdoc_id, status=409,
                                       error=str(exc))
    except LookupError:
        return _not_found(request, f"BDoc {bdoc_id} does not exist", _bdoc_search(bdoc_id))
    message = "Data changed: " + "; ".join(f"{p} {o!r} -> {n!r}" for p, (o, n) in done.items())
    return RedirectResponse(f"/smw01/{quote(bdoc_id)}?{urlencode({'msg': message})}",
                            status_code=303)


def _discard_confirmation(request: Request, bdoc_id: str) -> HTMLResponse:
    base = f"/smw01/{quote(bdoc_id)}"
    body = (f'<div class="msg err">Discarding BDoc {_e(bdoc_id)} ends it in F01 for good: its '
            "LUWs are deleted from their queues and nothing sends its data again.</div>"
            f"<p>{_button(request, f'{base}/discard?confirm=yes', 'Discard (F01)')} "
            f'<a href="{_e(base)}">cancel</a></p>')
    return _page(request, f"SMW01 · Discard BDoc {bdoc_id}?", body)


@router.post("/smw01/{bdoc_id}/{action}", **ACTION)
def smw01_action(request: Request, bdoc_id: str, action: str, confirm: str = ""
                 ) -> HTMLResponse | RedirectResponse:
    """Reprocess, set processed (F03) or discard (F01, after a confirmation), then back to
    the detail page."""
    gw, bdoc_id = _gw(request), bdoc_id.upper()
    if action not in BDOC_ACTIONS:
        return _not_found(request, f"unknown action {action!r}; use {', '.join(BDOC_ACTIONS)}")
    if action == "discard" and confirm != "yes":  # ask first, where discarding may happen
        try:
            light = queries.bdoc_detail(gw.db, bdoc_id)["light"]
        except LookupError:
            return _not_found(request, f"BDoc {bdoc_id} does not exist", _bdoc_search(bdoc_id))
        if light == "red":
            return _discard_confirmation(request, bdoc_id)
    try:
        note = _audited(request).bdoc(auth.current_user(request).name, action, bdoc_id)
    except (ActionRefused, IllegalTransition) as exc:
        return _bdoc_page(request, bdoc_id, status=409, error=str(exc))
    except LookupError:
        return _not_found(request, f"BDoc {bdoc_id} does not exist", _bdoc_search(bdoc_id))
    gw.schedulers.wake("in")
    gw.schedulers.wake("out")
    message = f"{action.replace('-', ' ').capitalize()}: {note or 'done'}"
    return RedirectResponse(f"/smw01/{quote(bdoc_id)}?{urlencode({'msg': message})}",
                            status_code=303)


# -- SMQ1 / SMQ2 -------------------------------------------------------------------------------
def _calls(calls: list[Any]) -> str:
    """An LUW's function calls, parameters as pretty JSON."""
    return "".join(f"<b>{_e(function)}</b><pre>{_e(json.dumps(params, indent=2, default=str))}"
                   "</pre>" for function, params in calls)


def _queue_pages(tx: str, direction: str) -> None:
    """List, detail, actions and delete-LUW confirmation of one queue direction."""
    kind = "Outbound" if direction == "out" else "Inbound"

    def back(request: Request, name: str, message: str) -> RedirectResponse:
        exists = queries.queue_detail(_gw(request).db, name, direction) is not None
        target = f"/{tx}/{quote(name)}" if exists else f"/{tx}"
        return RedirectResponse(f"{target}?{urlencode({'msg': message})}", status_code=303)

    def confirm_page(request: Request, name: str, tid: str, status: int) -> HTMLResponse:
        queue = queries.queue_detail(_gw(request).db, name, direction)
        luw = next((u for u in (queue or {}).get("luws", []) if u["tid"] == tid), None)
        if luw is None:
            return _not_found(request, f"queue {name} has no LUW {tid}")
        target = f"/{tx}/{quote(name)}/luws/{quote(tid)}/delete?confirm=yes"
        body = (f'<div class="msg err">Deleting LUW {_e(tid)} (seq {luw["seq"]}'
                f'{", BDoc " + _e(luw["bdoc_id"]) if luw["bdoc_id"] else ""}) removes it from '
                f"queue {_e(name)} for good. Later LUWs of the same object will overtake it: "
                "the receiver gets them without this one, and nothing sends it again.</div>"
                f"{_calls(luw['calls'])}<p>{_button(request, target, 'Delete LUW')} "
                f'<a href="/{tx}/{_e(quote(name))}">cancel</a></p>')
        return _page(request, f"{tx.upper()} · Delete LUW?", body, status=status)

    @router.get(f"/{tx}", response_class=HTMLResponse)
    def queue_list(request: Request, msg: str = "") -> HTMLResponse:
        rows = (_row(f'<a href="/{tx}/{_e(quote(q["name"]))}">{_e(q["name"])}</a>',
                     _e(q["status"]), _e(QUEUE_TEXTS[QueueStatus(q["status"])]),
                     _e(q["entries"]), _e(_ts(q["first_at"])), _e(_ts(q["last_at"])),
                     _e(q["destination"]), _e(_ts(q["next_retry_at"])), _e(q["error"]),
                     cls="error" if q["status"] in BLOCKED else "")
                for q in queries.queue_list(_gw(request).db, direction))
        body = _table(["Queue", "Status", "Status text", "Entries", "First (UTC)", "Last (UTC)",
                       "Destination", "Next retry", "Error"], rows, "no queues")
        return _page(request, f"{tx.upper()} · {kind} queues", body, message=msg)

    @router.get(f"/{tx}/{{name}}", response_class=HTMLResponse)
    def queue_detail(request: Request, name: str, msg: str = "") -> HTMLResponse:
        q = queries.queue_detail(_gw(request).db, name, direction)
        if q is None:
            return _not_found(request, f"queue {name} ({kind.lower()}) does not exist")
        header = _table(["Field", "Value"], (_row(_e(k), _e(v)) for k, v in (
            ("Queue", q["name"]), ("Status", q["status"]),
            ("Status text", QUEUE_TEXTS[QueueStatus(q["status"])]), ("Entries", q["entries"]),
            ("Destination", q.get("destination")), ("Retries", q.get("retries")),
            ("Next retry (UTC)", _ts(q.get("next_retry_at"))),
            ("Waiting on", q.get("waiting_on")), ("Error", q.get("error")))))
        base = f"/{tx}/{quote(name)}"
        actions = " ".join(_button(request, f"{base}/{a}", a.capitalize())
                           for a in QUEUE_ACTIONS)
        luws = (_row(_e(u["seq"]), _e(u["tid"]), _e(u["kind"]),
                     f'<a href="/smw01/{_e(u["bdoc_id"])}">{_e(u["bdoc_id"])}</a>'
                     if u["bdoc_id"] else "", _e(_ts(u["created_at"])),
                     _e(", ".join(u["wait_for"])), _calls(u["calls"]),
                     f'<a href="{_e(base)}/luws/{_e(quote(u["tid"]))}/delete">delete…</a>')
                for u in q["luws"])
        body = (f"{header}<p>{actions}</p><h2>LUWs</h2>"
                + _table(["Seq", "TID", "Kind", "BDoc", "Created (UTC)", "Waits for",
                          "Functions", ""], luws, "no LUWs"))
        return _page(request, f"{tx.upper()} · Queue {name}", body, message=msg)

    @router.post(f"/{tx}/{{name}}/{{action}}", **ACTION)
    def queue_action(request: Request, name: str, action: str
                     ) -> HTMLResponse | RedirectResponse:
        gw = _gw(request)
        if action not in QUEUE_ACTIONS:
            return _not_found(request, f"unknown action {action!r}; use "
                                       f"{', '.join(QUEUE_ACTIONS)}")
        try:
            _audited(request).queue(auth.current_user(request).name, action, name, direction)
        except LookupError as exc:
            return _not_found(request, str(exc))
        gw.schedulers.wake(direction)
        return back(request, name, f"Queue {name}: {action} done")

    @router.get(f"/{tx}/{{name}}/luws/{{tid}}/delete", response_class=HTMLResponse)
    def luw_delete_confirm(request: Request, name: str, tid: str) -> HTMLResponse:
        return confirm_page(request, name, tid, 200)

    @router.post(f"/{tx}/{{name}}/luws/{{tid}}/delete", **ACTION)
    def luw_delete(request: Request, name: str, tid: str, confirm: str = ""
                   ) -> HTMLResponse | RedirectResponse:
        """Delete only with confirm=yes; otherwise ask again (409), as REST does."""
        if confirm != "yes":
            return confirm_page(request, name, tid, 409)
        gw = _gw(request)
        try:
            _audited(request).delete_luw(auth.current_user(request).name, name, direction, tid)
        except LookupError as exc:
            return _not_found(request, str(exc))
        gw.schedulers.wake(direction)
        return back(request, name, f"LUW {tid} deleted from queue {name}")


for _tx, _direction in QUEUE_TX.items():
    _queue_pages(_tx, _direction)
