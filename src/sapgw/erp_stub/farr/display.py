"""FARR_CONTRACT_READ (ours): revenue contracts with their POBs, deferral items (the revenue
schedule), reconciliation keys and postings, for the CLI and the monitor page (SAP shows
them in FARR_CONTR_MON / the contract management apps)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.farr.tables import (
    FARR_D_CONTRACT,
    FARR_D_DEFITEM,
    FARR_D_POB,
    FARR_D_POSTING,
    FARR_D_RAI_MI,
    FARR_D_RECON_KEY,
)
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.kernel.tables import ddic_columns
from sapgw.rfc.ddic import CHAR, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("FARR_READ")


def _structure(model: Any, skip: tuple[str, ...] = ()) -> Any:
    table = model.__table__
    return structure(f"FARR_S_{table.name.removeprefix('FARR_D_')}",
                     *((name, ddic) for name, ddic in ddic_columns(table) if name not in skip))


READS = {"ET_CONTRACTS": FARR_D_CONTRACT, "ET_POBS": FARR_D_POB, "ET_DEFITEMS": FARR_D_DEFITEM,
         "ET_RECON_KEYS": FARR_D_RECON_KEY, "ET_POSTINGS": FARR_D_POSTING,
         "ET_ITEMS": FARR_D_RAI_MI}
STRUCTURES = {name: _structure(model) for name, model in READS.items()}


@group.function(interface("FARR_CONTRACT_READ", [
    importing("IV_BUKRS", CHAR(4), text="Company code (blank: all)"),
    importing("IV_CONTRACT_ID", CHAR(14), text="One contract (blank: all)"),
    *(tables(name, row) for name, row in STRUCTURES.items()),
    tables("ET_RETURN", BAPIRET2),
], text="Revenue contracts with POBs, schedule, postings and items (ours)"))
def farr_contract_read(ctx: CallContext, IV_BUKRS: str, IV_CONTRACT_ID: str,
                       **result: list[dict[str, Any]]) -> dict[str, Any]:
    answer: dict[str, Any] = {"ET_RETURN": []}
    with ctx.read() as conn:
        contract = FARR_D_CONTRACT.__table__  # type: ignore[attr-defined]
        query = select(contract.c.CONTRACT_ID)
        if IV_BUKRS:
            query = query.where(contract.c.COMPANY_CODE == IV_BUKRS)
        if IV_CONTRACT_ID:
            query = query.where(contract.c.CONTRACT_ID == IV_CONTRACT_ID)
        ids = [row[0] for row in conn.execute(query)]
        for name, model in READS.items():
            table = model.__table__
            where = table.c.CONTRACT_ID.in_(ids)
            if name == "ET_ITEMS" and not IV_CONTRACT_ID:  # raw items have no contract yet
                where = where | (table.c.STATUS != "4")
            rows = conn.execute(select(table).where(where).order_by(
                *table.primary_key.columns)).mappings()
            answer[name] = [dict(row) for row in rows]
    return answer
