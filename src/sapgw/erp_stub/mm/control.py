"""MM customizing as goods movements (and other applications, through `mm.api`) read it:
typed, from the table buffer, each accessor answering None for an entry that does not exist
so that the caller can report every missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.mm.customizing import (
    T001K,
    T001L,
    T001W,
    T030,
    T156,
    T156T,
    T158,
    T158B,
    T158G,
)

LANGUAGE = "E"


@dataclass(frozen=True)
class Plant:
    """A plant with its valuation area and, through T001K, its company code."""

    werks: str
    name: str
    bwkey: str
    bukrs: str                 # blank when the valuation area is not assigned
    bwmod: str                 # valuation grouping code of account determination


@dataclass(frozen=True)
class GmCode:
    """What a GM_CODE of BAPI_GOODSMVT_CREATE means: its transaction and that one's control."""

    gm_code: str
    tcode: str
    vgart: str                 # transaction/event type, also the FI document type
    numkr: str                 # MATBELEG interval
    required: tuple[str, ...]  # item fields every item needs


@dataclass(frozen=True)
class MovementType:
    bwart: str
    shkzg: str                 # S receipt, H issue (a transfer issues at STGE_LOC)
    transfer: bool             # receipt at MOVE_STLOC of the same plant
    ktosl: str                 # offsetting entry's transaction key (blank: no FI document)
    komok: str                 # its account modifier
    required: tuple[str, ...]
    text: str = ""


def plant(ctx: CallContext, werks: str) -> Plant | None:
    row = ctx.buffered(T001W).get(werks)
    if row is None:
        return None
    area = ctx.buffered(T001K).get(row.BWKEY)
    return Plant(row.WERKS, row.NAME1, row.BWKEY, area.BUKRS if area else "",
                 area.BWMOD if area else "")


def storage_location(ctx: CallContext, werks: str, lgort: str) -> str | None:
    """The storage location's description if the plant has it (T001L), else None."""
    row = ctx.buffered(T001L).get(werks, lgort)
    return row.LGOBE if row is not None else None


def storage_locations(ctx: CallContext, werks: str) -> list[str]:
    """The plant's storage locations (T001L), in key order."""
    return sorted(row.LGORT for row in ctx.buffered(T001L).where(WERKS=werks))


def gm_code(ctx: CallContext, code: str) -> GmCode | None:
    """The GM_CODE's transaction (T158G) with its control (T158); None if either is missing."""
    assignment = ctx.buffered(T158G).get(code)
    transaction = ctx.buffered(T158).get(assignment.TCODE) if assignment else None
    if assignment is None or transaction is None:
        return None
    return GmCode(code, assignment.TCODE, transaction.VGART, transaction.NUMKR,
                  tuple(transaction.REQFIELDS.split()))


def transaction_control(ctx: CallContext, tcode: str) -> GmCode | None:
    """A transaction's control (T158) for a movement posted without a GM code (VL02N)."""
    row = ctx.buffered(T158).get(tcode)
    if row is None:
        return None
    return GmCode("", row.TCODE, row.VGART, row.NUMKR, tuple(row.REQFIELDS.split()))


def movement_type(ctx: CallContext, bwart: str) -> MovementType | None:
    row = ctx.buffered(T156).get(bwart)
    if row is None:
        return None
    text = ctx.buffered(T156T).get(LANGUAGE, bwart)
    return MovementType(row.BWART, row.SHKZG, row.XUMLG == "X", row.KTOSL, row.KOMOK,
                        tuple(row.REQFIELDS.split()), text.BTEXT if text else "")


def allowed(ctx: CallContext, tcode: str, bwart: str) -> bool:
    """Whether the transaction may post the movement type (T158B)."""
    return ctx.buffered(T158B).get(tcode, bwart) is not None


def determine_account(ctx: CallContext, ktopl: str, ktosl: str, bwmod: str = "", komok: str = "",
            bklas: str = "") -> str | None:
    """The G/L account OBYC determines (T030-KONTS), or None when there is no entry."""
    row = ctx.buffered(T030).get(ktopl, ktosl, bwmod, komok, bklas)
    return row.KONTS if row is not None else None
