"""The checks of a billable item, and the revenue accounting fields it gets.

A billable item that fails a check is not refused: it is stored raw (status 0) with the
reason, so that it can be corrected and released (`/1FE/<class>_BIT_CREATE_API`,
FKK_BIX_BITRAW_CORRECT). The checks: the contract account exists and belongs to the partner;
the provider contract item exists, belongs to that account, and the item's date lies in its
validity; the currency exists; a service type given exists. A package (BITPACKUUID) is
billed as a unit: one failing item keeps the whole package raw.

Revenue accounting: without a service type, posting area 8122 (billable item class,
subprocess, item type -> relevance, service type) decides whether the item is rated
consumption for a fulfilment item; else 8172 (class, item type, product -> service type)
finds the service type of a one-off charge. The item is relevant (RAREL X) when it has a
service type and the integration is active.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.fica import contracts, master_data
from sapgw.erp_stub.fica.customizing import ra_settings, service_type
from sapgw.erp_stub.fica.posting_areas import FULFILMENT, ONE_OFF_SERVICE, determine
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.messages import text
from sapgw.erp_stub.kernel.money import currency_decimals, round_amount


@dataclass(frozen=True)
class Reason:
    """Why an item stays raw (the first problem found)."""

    msgid: str
    msgno: str
    variables: tuple[str, ...]

    @property
    def text(self) -> str:
        return text(self.msgid, self.msgno, *self.variables)


def normalise(bitcat: str, item: dict[str, Any]) -> dict[str, Any]:
    """The item's row as it is stored: keys with their conversion exits, the class set."""
    row = {"BUKRS": "", "PRDNR": "", "RAREL": "", **item}
    row.update(BITCAT=bitcat, VKONT=alpha(item["VKONT"], 12) if item["VKONT"] else "",
               GPART=alpha(item["GPART"], 10) if item["GPART"] else "",
               BITPACKUUID=item["BITPACKUUID"] or item["SRCTAID"],
               BITPACKCNO=f"{int(item['BITPACKCNO'] or 0):08d}",
               VTPOS=f"{int(item['VTPOS'] or 0):06d}")
    return row


def check(ctx: CallContext, row: dict[str, Any]) -> Reason | None:
    """Complete `row` (partner, company code, product, amounts, RA fields) and answer the
    first reason it must stay raw, or None."""
    account = master_data.contract_account(ctx, row["VKONT"]) if row["VKONT"] else None
    if account is None:
        return Reason("FKK_CI", "002", (row["VKONT"],))
    if not row["GPART"]:
        row["GPART"] = _only_partner(ctx, row["VKONT"])
    partner_data = master_data.account_partner(ctx, row["VKONT"], row["GPART"])
    if partner_data is None:
        return Reason("FKK_CI", "003", (row["VKONT"], row["GPART"]))
    reason = _contract_item(ctx, row)
    if reason is not None:
        return reason
    row["BUKRS"] = row["BUKRS"] or partner_data["STDBK"]
    decimals = currency_decimals(ctx, row["BIT_CURR"]) if row["BIT_CURR"] else None
    if decimals is None:
        return Reason("FKK_CI", "006", (row["BIT_CURR"],))
    row["BIT_AMOUNT"] = round_amount(Decimal(row["BIT_AMOUNT"]), decimals)
    return _revenue_accounting(ctx, row)


def _only_partner(ctx: CallContext, vkont: str) -> str:
    partners = master_data.account_partners(ctx, vkont)
    return partners[0] if len(partners) == 1 else ""


def _contract_item(ctx: CallContext, row: dict[str, Any]) -> Reason | None:
    if not row["VTREF"]:
        return None
    item = contracts.current_item(ctx, row["VTREF"], row["VTPOS"])
    if item is None:
        return Reason("FKK_CI", "030", (row["VTREF"], row["VTPOS"]))
    if item["VKONT"] != row["VKONT"]:
        return Reason("FKK_CI", "031", (row["VTREF"], row["VTPOS"], item["VKONT"],
                                        row["VKONT"]))
    stamp = Decimal(f"{row['BITDATE']}{row['BITTIME'] or '000000'}") if row["BITDATE"] \
        else Decimal(0)
    if not item["VALFR"] <= stamp <= item["VALTO"]:
        return Reason("FKK_CI", "032", (row["BITDATE"], row["VTREF"], row["VTPOS"],
                                        f"{item['VALFR']}-{item['VALTO']}"))
    row["BUKRS"] = row["BUKRS"] or item["BUKRS"]
    row["PRDNR"] = row["PRDNR"] or item["PRDNR"]
    return None


def _revenue_accounting(ctx: CallContext, row: dict[str, Any]) -> Reason | None:
    code = row["SERVICE_TYPE"]
    if code:
        if service_type(ctx, code) is None:
            return Reason("FKK_CI", "015", (code,))
    else:
        usage = determine(ctx, FULFILMENT, {"BITCAT": row["BITCAT"],
                                            "SUBPROCESS": row["SUBPROCESS"],
                                            "BITTYPE": row["BITTYPE"]})
        if usage is not None and usage.results.get("RAREL") == "X":
            code = usage.results.get("SERVICE_TYPE", "")
        else:
            one_off = determine(ctx, ONE_OFF_SERVICE, {"BITCAT": row["BITCAT"],
                                                       "BITTYPE": row["BITTYPE"],
                                                       "PRDNR": row["PRDNR"]})
            code = one_off.results.get("SERVICE_TYPE", "") if one_off is not None else ""
        if code and service_type(ctx, code) is None:
            return Reason("FKK_CI", "015", (code,))
    row["SERVICE_TYPE"] = code
    row["RAREL"] = "X" if code and ra_settings(ctx).active else ""
    return None
