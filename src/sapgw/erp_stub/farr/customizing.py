"""RAR's customizing (ours, buffered): company codes, source item types and their class,
reference types, condition types, POB types per service type, change reasons; the seed
from demo.toml."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sapgw.erp_stub.farr.tables import (
    FARR_C_CHRSN,
    FARR_C_COMPANY,
    FARR_C_CONDTYPE,
    FARR_C_POBTYPE,
    FARR_C_REFTYPE,
    FARR_C_SRCTY,
)
from sapgw.erp_stub.kernel.context import CallContext

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem

PRICE, SSP = "P", "S"


def company(ctx: CallContext, bukrs: str) -> Any:
    return ctx.buffered(FARR_C_COMPANY).get(bukrs)


def rai_class(ctx: CallContext, srcdoc_type: str) -> str | None:
    row = ctx.buffered(FARR_C_SRCTY).get(srcdoc_type)
    return None if row is None else row.RAI_CLASS


def reference_type(ctx: CallContext, reftype: str) -> Any:
    return ctx.buffered(FARR_C_REFTYPE).get(reftype)


def condition_role(ctx: CallContext, condition_type: str) -> str | None:
    row = ctx.buffered(FARR_C_CONDTYPE).get(condition_type)
    return None if row is None else row.COND_ROLE


def pob_type(ctx: CallContext, service_type: str) -> Any:
    return ctx.buffered(FARR_C_POBTYPE).get(service_type)


def default_end(kind: Any, start: str) -> str:
    """The end date of a time-based POB whose order item has none (an open-ended contract
    item: FI-CA sends END_DATE blank): START_DATE + the POB type's DEFAULT_TERM months - 1
    day (ours; SAP derives it in BRF+ rules that are not public); blank without a term."""
    months = int(kind.DEFAULT_TERM or 0)
    if not months or not start:
        return ""
    year, month = divmod(int(start[4:6]) - 1 + months, 12)
    year += int(start[:4])
    day = min(int(start[6:]), monthrange(year, month + 1)[1])
    end = date(year, month + 1, day) - timedelta(days=1)
    return end.strftime("%Y%m%d")


def retrospective(ctx: CallContext, chrsn: str) -> bool:
    """A change with this reason is retrospective; blank or unknown reasons: prospective."""
    row = ctx.buffered(FARR_C_CHRSN).get(chrsn) if chrsn else None
    return row is not None and row.RETROSPECTIVE == "X"


def seed(system: ErpSystem, data: DataSet) -> None:
    """The data set's farr_* sections into the FARR_C_* tables (missing rows only)."""
    system.seed_rows(FARR_C_COMPANY, [
        {"COMPANY_CODE": key, "ACCT_PRINCIPLE": spec.get("accounting_principle", "IFRS"),
         "WAERS": spec.get("currency", ""), "TEXT": spec.get("text", "")[:40]}
        for key, spec in data.table("farr_company_codes").items()])
    system.seed_rows(FARR_C_SRCTY, [
        {"SRCDOC_TYPE": key, "RAI_CLASS": spec["class"], "TEXT": spec.get("text", "")[:40]}
        for key, spec in data.table("farr_source_types").items()])
    system.seed_rows(FARR_C_REFTYPE, [
        {"REFERENCE_TYPE": key, "TEXT": spec.get("text", "")[:40]}
        for key, spec in data.table("farr_reference_types").items()])
    system.seed_rows(FARR_C_CONDTYPE, [
        {"CONDITION_TYPE": key, "COND_ROLE": spec.get("role", PRICE),
         "TEXT": spec.get("text", "")[:40]}
        for key, spec in data.table("farr_condition_types").items()])
    system.seed_rows(FARR_C_POBTYPE, [
        {"SERVICE_TYPE": key, "POB_TYPE": spec.get("pob_type", key)[:10],
         "FULFILL_TYPE": spec.get("fulfill_type", "E"), "EVENT_TYPE": spec.get("event_type", ""),
         "DEFAULT_TERM": f"{int(spec.get('default_term', 0)):03d}",
         "TEXT": spec.get("text", "")[:40]}
        for key, spec in data.table("farr_pob_types").items()])
    system.seed_rows(FARR_C_CHRSN, [
        {"CHRSN": key, "RETROSPECTIVE": "X" if spec.get("retrospective") else "",
         "TEXT": spec.get("text", "")[:40]}
        for key, spec in data.table("farr_change_reasons").items()])
