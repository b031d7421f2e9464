"""CO-PA actual line items (CE1S001), in the caller's LUW.

`post` writes one line item: the profitability segment of the characteristics (CE4S001,
`segments`), the record type (F billing, C settlement, B direct posting …), the period in the
operating concern's fiscal year variant (PERIO = YYYYPPP), the values per value field,
rounded half up at the operating concern currency's decimals. Everything is checked before
anything is registered; a refusal raises `CopaError` and leaves the LUW untouched. The
number comes from COPA_IST (SAP's object for actual line items) per operating concern.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sapgw.erp_stub.copa import segments, transfer
from sapgw.erp_stub.copa.concern import (
    Concern,
    condition_field,
    required_concern,
    value_fields,
)
from sapgw.erp_stub.copa.concern import (
    record_type as record_type_row,
)
from sapgw.erp_stub.copa.errors import CopaError
from sapgw.erp_stub.copa.tables import CE1S001, REFERENCE_FIELDS, VALUE_FIELDS
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.money import round_amount

LINE_ITEM_NUMBERS = "COPA_IST"
OPERATING_CONCERN_CURRENCY = "01"        # PALEDGER (value UNSURE: SAP's domain not public)
ACTUAL = "0"                             # PLIKZ


def post(ctx: CallContext, *, kokrs: str, record_type: str, budat: str,
         characteristics: dict[str, str], values: dict[str, Decimal],
         reference: dict[str, str] | None = None, currency: str = "", usnam: str = "") -> str:
    """Register one CE1S001 line item in the caller's LUW; returns its BELNR.

    values: value field -> amount in the operating concern currency (`currency`, when given,
    must be that currency: KE 910, there is no translation). KOKRS is a characteristic filled
    from `kokrs`. Raises CopaError (class KE) before anything is registered.
    """
    concern = required_concern(ctx, kokrs)
    checked = _checked(ctx, concern, record_type, budat, values, reference or {}, currency)
    year, period = fbas.fiscal_period(ctx, concern.periv, budat)
    full = segments.combination({**characteristics, "KOKRS": kokrs})
    paobjnr = segments.segment_of(ctx, full)
    belnr = ctx.numbers.next(LINE_ITEM_NUMBERS, concern.erkrs)
    now: datetime = ctx.clock.now()
    ctx.insert(CE1S001, {
        "PALEDGER": OPERATING_CONCERN_CURRENCY, "VRGAR": record_type, "VERSI": "",
        "PERIO": f"{year:04d}{period:03d}", "PAOBJNR": paobjnr, "PASUBNR": "0001",
        "BELNR": belnr, "POSNR": "000001", "PLIKZ": ACTUAL, "GJAHR": f"{year:04d}",
        "PERDE": f"{period:03d}", "BUDAT": budat, "CPUDT": now.strftime("%Y%m%d"),
        "CPUTM": now.strftime("%H%M%S"), "USNAM": usnam[:12], "REC_WAERS": concern.waers,
        **{name: "" for name in REFERENCE_FIELDS}, "RPOSN": "000000", **checked.reference,
        **full, **{name: Decimal(0) for name in VALUE_FIELDS}, **checked.values})
    return belnr


def post_by_cost_element(ctx: CallContext, *, kokrs: str, record_type: str, budat: str,
                         characteristics: dict[str, str],
                         amounts: Iterable[tuple[str, Decimal]], structure: str,
                         reference: dict[str, str] | None = None, usnam: str = "") -> str:
    """Map (cost element, CO-sign amount) pairs through the PA transfer structure and post
    them as one line item (`post`); returns its BELNR. A cost element without assignment
    raises CopaError KE 907 (KE 908 unknown element, KE 909 assigned twice)."""
    concern = required_concern(ctx, kokrs)
    values = transfer.value_fields(ctx, concern, kokrs, structure, amounts, budat)
    return post(ctx, kokrs=kokrs, record_type=record_type, budat=budat,
                characteristics=characteristics, values=values, reference=reference,
                usnam=usnam)


def post_conditions(ctx: CallContext, *, kokrs: str, record_type: str, budat: str,
                    characteristics: dict[str, str], conditions: Iterable[tuple[str, Decimal]],
                    reference: dict[str, str] | None = None, currency: str = "",
                    usnam: str = "") -> str | None:
    """Billing's transfer (KE4I): SD condition values into their value fields, one line item.
    Conditions without an assigned value field are not transferred, as in SAP; None when
    nothing is left to post (or no value)."""
    concern = required_concern(ctx, kokrs)
    values: dict[str, Decimal] = {}
    for kschl, amount in conditions:
        field = condition_field(ctx, concern.erkrs, kschl)
        if field:
            values[field] = values.get(field, Decimal(0)) + Decimal(amount)
    if not any(values.values()):
        return None
    return post(ctx, kokrs=kokrs, record_type=record_type, budat=budat,
                characteristics=characteristics, values=values, reference=reference,
                currency=currency, usnam=usnam)


@dataclass(frozen=True)
class _Checked:
    values: dict[str, Decimal]           # value field -> rounded amount
    reference: dict[str, str]            # reference field -> internal value


def _checked(ctx: CallContext, concern: Concern, record_type: str, budat: str,
             values: dict[str, Decimal], reference: dict[str, str], currency: str
             ) -> _Checked:
    if record_type_row(ctx, record_type) is None:
        raise CopaError("KE", "902", record_type, field="RECORD_TYPE")
    if not _is_date(budat):
        raise CopaError("KE", "912", budat, field="BUDAT")
    if currency and currency != concern.waers:
        raise CopaError("KE", "910", currency, concern.waers, field="CURRENCY")
    fields = value_fields(ctx, concern.erkrs)
    for name in values:
        if name not in fields or name not in VALUE_FIELDS:
            raise CopaError("KE", "904", name, concern.erkrs, field=name)
    if not values:
        raise CopaError("KE", "905", concern.erkrs, field="VALUES")
    refs: dict[str, str] = {}
    for name, value in reference.items():
        length = REFERENCE_FIELDS.get(name)
        if length is None:
            raise CopaError("KE", "917", name, field=name)
        text = str(value).strip()
        text = text.zfill(length) if name == "RPOSN" and text else alpha(text, length)
        if len(text) > length:
            raise CopaError("KE", "911", text, name, length, field=name)
        refs[name] = text
    rounded = {name: round_amount(Decimal(amount), concern.decimals)
               for name, amount in values.items()}
    return _Checked(rounded, refs)


def _is_date(value: str) -> bool:
    try:
        datetime.strptime(value, "%Y%m%d")
    except (TypeError, ValueError):
        return False
    return len(value) == 8
