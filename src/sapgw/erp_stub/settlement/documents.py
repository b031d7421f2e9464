"""The documents a settlement posts, and its reversal again at the opposite sign.

A settlement (`run`) and its reversal (`reversal`) post the same three documents; only the
amounts' sign, the dates and the texts differ, so both build them here from signed lines:
- the FI document of the RA data (AWTYP AUAK): `fi_document`, checked first, `post_fi`;
- the CO-PA line item of a profitability segment receiver (record type C, through the
  rule's PA transfer structure): `to_segment`, which refuses before it registers;
- the CO document (VRGNG KOAO, REFBT A): the order on the opposite side of each receiver
  line, a cost center receiver with its own line (a segment is no CO object: partner only).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.copa import api as copa
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import update_terminated_by
from sapgw.erp_stub.settlement.errors import SettlementError
from sapgw.erp_stub.settlement.rules import COST_CENTER, SETTLEMENT
from sapgw.rfc.structures import errors

RECORD_TYPE, CHECK_KEY = "C", "$"
# CE4 fields that are no characteristics: the number, who created it when; KOKRS is given.
SEGMENT_ADMIN_FIELDS = frozenset({"PAOBJNR", "HZDAT", "USNAM", "KOKRS"})

@dataclass(frozen=True)
class FiLine:
    """One line of the RA data's FI document: account, amount in its sign, text."""

    account: str
    amount: Decimal
    currency: str
    text: str


@dataclass(frozen=True)
class ReceiverLine:
    """What one settlement cost element takes to the receiver (receiver's sign: a
    reversal's amount is the settled one negated)."""

    konty: str
    receiver: str                       # cost center or profitability segment
    kstar: str
    amount: Decimal


def fi_document(ctx: CallContext, *, bukrs: str, aufnr: str, lines: list[FiLine],
                budat: str, doc_type: str, header_text: str, usnam: str) -> dict[str, Any]:
    """BAPI_ACC_DOCUMENT_CHECK/_POST's parameters, under the check key until `post_fi`."""
    gl, amounts = [], []
    for number, line in enumerate(lines, start=1):
        gl.append({"ITEMNO_ACC": f"{number:010d}", "GL_ACCOUNT": line.account,
                   "COMP_CODE": bukrs, "ALLOC_NMBR": aufnr, "ITEM_TEXT": line.text})
        amounts.append({"ITEMNO_ACC": f"{number:010d}", "CURRENCY": line.currency,
                        "AMT_DOCCUR": line.amount})
    return {
        "DOCUMENTHEADER": {
            "OBJ_TYPE": "AUAK", "OBJ_KEY": CHECK_KEY, "OBJ_SYS": ctx.logical_system,
            "BUS_ACT": SETTLEMENT, "USERNAME": usnam, "COMP_CODE": bukrs,
            "DOC_DATE": budat, "PSTNG_DATE": budat, "DOC_TYPE": doc_type,
            "REF_DOC_NO": CHECK_KEY, "HEADER_TXT": header_text},
        "ACCOUNTGL": gl, "CURRENCYAMOUNT": amounts}


def check_fi(ctx: CallContext, fi_params: dict[str, Any] | None) -> list[dict[str, Any]]:
    """FI's refusal of the document (its error rows); none without a document."""
    if fi_params is None:
        return []
    return errors(ctx.call("BAPI_ACC_DOCUMENT_CHECK", **fi_params)["RETURN"])


def post_fi(ctx: CallContext, fi_params: dict[str, Any], belnr: str) -> str:
    """Post the settlement document's FI document (checked before): its reference key.
    Only a number range can fail here, and then the whole LUW must go."""
    fi_params["DOCUMENTHEADER"].update(OBJ_KEY=belnr, REF_DOC_NO=belnr)
    result = ctx.call("BAPI_ACC_DOCUMENT_POST", **fi_params)
    failed = errors(result["RETURN"])
    if failed:
        raise update_terminated_by(failed[-1])
    return str(result["OBJ_KEY"])


def to_segment(ctx: CallContext, order: dict[str, Any], *, paobjnr: str, structure: str | None,
               lines: list[ReceiverLine], budat: str, belnr: str, usnam: str) -> str:
    """The CO-PA line item of the segment's lines: its number. Raises SettlementError KD 906
    when the segment or the order's rule (`structure` None) is gone and CopaError when CO-PA
    refuses, both before anything is registered."""
    characteristics = copa.characteristics_of(ctx, paobjnr)
    if characteristics is None or structure is None:
        raise SettlementError("KD", "906", paobjnr)
    given = {name: value for name, value in characteristics.items()
             if name not in SEGMENT_ADMIN_FIELDS}
    return copa.post_by_cost_element(
        ctx, kokrs=order["KOKRS"], record_type=RECORD_TYPE, budat=budat,
        characteristics=given, structure=structure, usnam=usnam,
        amounts=[(line.kstar, line.amount) for line in lines],
        reference={"RBELN": belnr, "RKAUFNR": order["AUFNR"]})


def co_document(ctx: CallContext, order: dict[str, Any], *, lines: list[ReceiverLine],
                budat: str, reference: co.CoReference, line_text: str, text: str,
                usnam: str) -> str:
    """The CO document of the receiver lines: the order credited with each (debited for a
    reversal's negative amount), a cost center receiver on the other side."""
    objnr, kokrs, bukrs = order["OBJNR"], order["KOKRS"], order["BUKRS"]
    postings: list[co.CoLine] = []
    for line in lines:
        partner = (f"KS{kokrs}{line.receiver}" if line.konty == COST_CENTER
                   else f"EO{line.receiver}")
        postings.append(co.CoLine(objnr, line.kstar, -line.amount, parob=partner, beknz="A",
                                  bukrs=bukrs, text=line_text))
        if line.konty == COST_CENTER:
            postings.append(co.CoLine(partner, line.kstar, line.amount, parob=objnr,
                                      uspob=objnr, bukrs=bukrs, text=line_text))
    return co.post_line_items(ctx, kokrs=kokrs, budat=budat, lines=postings,
                              vrgng=SETTLEMENT, usnam=usnam, reference=reference, text=text)
