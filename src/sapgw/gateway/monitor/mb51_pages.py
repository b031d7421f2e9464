"""/erp/mb51: the material document list (MB51-like), through ZMB51_LIST like `sapgw erp
mb51`. The form's selections are optional; a selection the ERP refuses shows its message."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from sapgw.gateway import inputs
from sapgw.gateway.cli_support import failed_return
from sapgw.gateway.mb51_cli import COLUMNS, material_documents
from sapgw.gateway.monitor.pages import _e, _gw, _page, _row, _table
from sapgw.rfc.errors import RFCError

router = APIRouter(tags=["monitor pages"], include_in_schema=False)
TITLE = "MB51 · Material documents"
SELECTIONS = (("material", "Material"), ("plant", "Plant"), ("move_type", "Movement type"),
              ("order", "Order"), ("date_from", "Posting date from"), ("date_to", "to"))


@router.get("/erp/mb51", response_class=HTMLResponse)
def mb51(request: Request, material: str = "", plant: str = "", move_type: str = "",
         order: str = "", date_from: str = "", date_to: str = "") -> HTMLResponse:
    gw = _gw(request)
    values = {"material": material, "plant": plant, "move_type": move_type, "order": order,
              "date_from": date_from, "date_to": date_to}
    form = ('<form method="get">' + " ".join(
        f'{label} <input name="{name}" value="{_e(values[name])}" size="12">'
        for name, label in SELECTIONS) + " <button>Show</button></form>")
    dates = {name: values[name].replace("-", "") for name in ("date_from", "date_to")}
    bad = [f"{name} {values[name]!r} is not a date (YYYYMMDD)"
           for name, value in dates.items() if value and not _is_date(value)]
    if bad:
        return _page(request, TITLE, form, status=400, error="; ".join(bad))

    def rfc(function: str, **params: Any) -> dict[str, Any]:
        conn = gw.destination(gw.settings.rfc_destination or "ERP")
        try:
            return conn.call(function, **params)
        finally:
            conn.close()

    try:
        result = material_documents(rfc, material=material.strip(), plant=plant.strip(),
                                    move_type=move_type.strip(),
                                    order=inputs.alpha(order, 12) if order.strip() else "",
                                    **dates)
    except RFCError as exc:
        return _page(request, TITLE, form, status=502, error=f"ERP not reachable: {exc}")
    error = failed_return(result)
    if error is not None:
        return _page(request, TITLE, form, status=400, error=error)
    body = form + _table([label for _, label in COLUMNS],
                         (_row(*(_e(row[key]) for key, _ in COLUMNS)) for row in result["LIST"]),
                         "no material documents found")
    return _page(request, TITLE, body)


def _is_date(value: str) -> bool:
    return len(value) == 8 and value.isdigit() and "01" <= value[4:6] <= "12" \
        and "01" <= value[6:] <= "31"
