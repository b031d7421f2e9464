"""Order items for revenue accounting from provider contract items (source item type CAOI),
written as transfer records (DFKKRA_RAI_MI / DFKKRA_RAI_CO) with the contract's save.

For every revenue-accounting-relevant item a save creates or changes: one main item (service
type = RECURR_SERVICE_TYPE, quantity, validity as the performance obligation's start and end,
the change reason copied) with a condition for the total transaction price (TRPRC_TOTAL, the
service type's condition type, main condition) and, when the item has a standalone selling
price, one for the total SSP (SSPRC_TOTAL, statistical). For each additional service type of
the item (DFKK_VT_ST) a main item with an estimated quantity (X_ESTIMATED_QUAN) and, when the
service type has a condition type, a condition without an amount. All of one item carry the
item version's timestamp (TIMESTAMP_UTC).

Reference type and ID (RAR bundles items of one reference into one revenue contract): the
item's RA_REFTYPE/RA_REFID, else type VT and the provider contract (ours). A change whose
change reason opens a new contract (TFK_RA_CHRSN-XNEWCONTRACT, the renewal) gives the item
the reference ID <contract>-<version>, kept on the item for its later changes (ours).
The records get provisional RAI_IDs ($n) until they are written, so that event 8205 can name
them; `write` draws the numbers (object FKKRA_RAI, ours).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.fica.contracts import END_OF_TIME, Contract, SavedItem
from sapgw.erp_stub.fica.customizing import (
    ServiceType,
    change_reason,
    ra_settings,
    service_type,
)
from sapgw.erp_stub.fica.rai_tables import CONTRACT_ITEM, DFKKRA_RAI_CO, DFKKRA_RAI_MI
from sapgw.erp_stub.kernel.context import CallContext

DEFAULT_REFTYPE = "VT"   # ours: reference type "provider contract"


@dataclass
class Records:
    """Transfer records to write: main items and conditions, by (provisional) RAI_ID."""

    mi: list[dict[str, Any]] = field(default_factory=list)
    co: list[dict[str, Any]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.mi)


def renewals(ctx: CallContext, vtkey: str, saved: list[SavedItem]) -> list[SavedItem]:
    """The versions with the renewal's reference ID set where a renewal changed the item."""
    renewed = []
    for item in saved:
        reason = change_reason(ctx, item.values["CHRSN"]) if item.values["CHRSN"] else None
        if (item.chind == "U" and "CHRSN" in item.changed_fields and reason is not None
                and reason[1] and "RA_REFID" not in item.changed_fields):
            values = {**item.values, "RA_REFID": f"{vtkey}-{item.version}"}
            item = replace(item, values=values, changed_fields=(*item.changed_fields,
                                                                "RA_REFID"))
        renewed.append(item)
    return renewed


def contract_order_items(ctx: CallContext, contract: Contract, saved: list[SavedItem]
                         ) -> Records:
    settings = ra_settings(ctx)
    records = Records()
    if not settings.active:
        return records
    for item in saved:
        if item.values["RAREL"] == "X":
            _item_records(ctx, contract, item, settings.source_component, records)
    return records


def _date(stamp: Decimal) -> str:
    return "" if not stamp or stamp >= END_OF_TIME else f"{int(stamp):014d}"[:8]


def _item_records(ctx: CallContext, contract: Contract, item: SavedItem, component: str,
                  records: Records) -> None:
    values, vtkey = item.values, contract.vtkey
    common = {
        "SRCDOC_COMP": component, "SRCDOC_LOGSYS": ctx.logical_system,
        "SRCDOC_TYPE": CONTRACT_ITEM, "TIMESTAMP_UTC": item.stamp, "HEADER_ID": vtkey,
        "ITEM_ID": item.vtpos, "PARTNER": contract.header["GPART"], "VKONT": values["VKONT"],
        "VTREF": vtkey, "VTPOS": item.vtpos, "SUBAP": "P", "BUKRS": values["BUKRS"],
        "WAERS": values["TRPRC_CURR"], "START_DATE": _date(values["VALFR"]),
        "END_DATE": _date(values["VALTO"]),
        "EFFECTIVE_DATE": _date(item.stamp) if item.chind == "U" else _date(values["VALFR"]),
        "RA_REFTYPE": values["RA_REFTYPE"] or DEFAULT_REFTYPE,
        "RA_REFID": values["RA_REFID"] or vtkey, "CHRSN": values["CHRSN"], "CHIND": "",
        "X_ESTIMATED_QUAN": "", "ORIGDOC_TYPE": "", "ORIGDOC_ID": ""}
    main = service_type(ctx, values["RECURR_SERVICE_TYPE"])
    rai_id = _new_id(records)
    records.mi.append({**common, "RAI_ID": rai_id, "SRCDOC_ID": f"{vtkey}/{item.vtpos}",
                       "SERVICE_TYPE": values["RECURR_SERVICE_TYPE"],
                       "BETRW": values["TRPRC_TOTAL"],
                       "QUANTITY": values["QUANTITY"] or Decimal(1),
                       "QUANTITY_UNIT": values["QUANTITY_UNIT"]})
    condition = {"SRCDOC_TYPE": CONTRACT_ITEM, "SRCDOC_ID": f"{vtkey}/{item.vtpos}",
                 "TIMESTAMP_UTC": item.stamp, "WAERS": values["TRPRC_CURR"], "CHIND": ""}
    if main is not None:
        add_condition(records, rai_id, {**condition, "SERVICE_TYPE": main.code,
                                     "CONDITION_TYPE": main.condition_type,
                                     "BETRW": values["TRPRC_TOTAL"], "MAIN_COND_TYPE": "X",
                                     "STATISTIC": ""})
        if values["SSPRC_TOTAL"]:
            add_condition(records, rai_id, {**condition, "SERVICE_TYPE": main.code,
                                         "CONDITION_TYPE": main.ssp_condition_type,
                                         "BETRW": values["SSPRC_TOTAL"],
                                         "WAERS": values["SSPRC_CURR"],
                                         "MAIN_COND_TYPE": "", "STATISTIC": "X"})
    for code in item.service_types:
        extra = service_type(ctx, code)
        srcdoc = f"{vtkey}/{item.vtpos}/{code}"
        extra_id = _new_id(records)
        records.mi.append({**common, "RAI_ID": extra_id, "SRCDOC_ID": srcdoc,
                           "SERVICE_TYPE": code, "BETRW": Decimal(0), "QUANTITY": Decimal(0),
                           "QUANTITY_UNIT": values["QUANTITY_UNIT"], "X_ESTIMATED_QUAN": "X"})
        if extra is not None and extra.condition_type:
            add_condition(records, extra_id, {**condition, "SRCDOC_ID": srcdoc,
                                           "SERVICE_TYPE": code,
                                           "CONDITION_TYPE": extra.condition_type,
                                           "BETRW": Decimal(0), "MAIN_COND_TYPE": "X",
                                           "STATISTIC": ""})


def _new_id(records: Records) -> str:
    return f"${len(records.mi) + 1}"


def add_condition(records: Records, rai_id: str, values: dict[str, Any]) -> None:
    """Add a condition to the main item `rai_id`, numbered per main item."""
    number = sum(1 for row in records.co if row["RAI_ID"] == rai_id) + 1
    records.co.append({**values, "RAI_ID": rai_id, "UUID": f"{rai_id}/{number:04d}"})


def add_main_condition(records: Records, rai_id: str, kind: ServiceType) -> None:
    """The one condition of a one-off charge's, fulfilment or invoice item: its service
    type's condition type (MAIN_COND_TYPE X) for the main item's amount and currency."""
    main = next(row for row in records.mi if row["RAI_ID"] == rai_id)
    add_condition(records, rai_id, {
        "SRCDOC_TYPE": main["SRCDOC_TYPE"], "SRCDOC_ID": main["SRCDOC_ID"],
        "TIMESTAMP_UTC": main["TIMESTAMP_UTC"], "SERVICE_TYPE": kind.code,
        "CONDITION_TYPE": kind.condition_type, "BETRW": main["BETRW"], "WAERS": main["WAERS"],
        "MAIN_COND_TYPE": "X", "STATISTIC": "", "CHIND": ""})


def write(ctx: CallContext, records: Records, own_id: bool = False) -> list[str]:
    """Draw the RAI numbers and register the records in the caller's LUW; the RAI_IDs.

    `own_id`: the source item is the record itself (a fulfilment item, which no document
    names): its SRCDOC_ID is its RAI_ID."""
    now = ctx.clock.now()
    numbers = {row["RAI_ID"]: ctx.numbers.next("FKKRA_RAI") for row in records.mi}

    def source(row: dict[str, Any]) -> dict[str, Any]:
        return {"SRCDOC_ID": numbers[row["RAI_ID"]]} if own_id else {}

    ctx.insert(DFKKRA_RAI_MI, [{**row, "RAI_ID": numbers[row["RAI_ID"]], **source(row),
                                "CRDATE": now.strftime("%Y%m%d"),
                                "CRTIME": now.strftime("%H%M%S")} for row in records.mi])
    if records.co:
        ctx.insert(DFKKRA_RAI_CO, [{
            **row, "RAI_ID": numbers[row["RAI_ID"]], **source(row),
            "UUID": numbers[row["RAI_ID"]] + row["UUID"].split("/")[-1]}
            for row in records.co])
    return list(numbers.values())
