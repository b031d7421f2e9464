"""IDOC_INPUT_DEBITOR (DEBMAS, process code DEBM) and IDOC_INPUT_CREDITOR (CREMAS, CRE1).

SAP's ALE inbound function modules, RFC-enabled here so that the gateway's process codes
can hand an IDoc over as it came (see `basis.ale` for the interface and why). Each IDoc
creates or changes one customer or vendor; the caller commits (BAPI_TRANSACTION_COMMIT or
the end of its tRFC unit) or rolls back.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.basis.api import InSegment, Messages, inbound_interface, run_inbound
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.masterdata.crm_delta import send_customer_delta, send_vendor_delta
from sapgw.erp_stub.masterdata.maintenance import Level, PartnerKind, maintain
from sapgw.erp_stub.masterdata.tables import KNA1, KNB1, KNVV, LFA1, LFB1, LFM1

group = FunctionGroup("VV02")

CUSTOMER = PartnerKind(
    name="Customer", number_field="KUNNR", number_object="DEBITOR",
    koart="D", group_field="KTOKD",
    general=Level("E1KNA1M", KNA1, (), (
        "ANRED", "NAME1", "NAME2", "NAME3", "NAME4", "SORTL", "STRAS", "PSTLZ", "ORT01",
        "REGIO", "LAND1", "SPRAS", "STCEG", "LIFNR"), required=("NAME1", "LAND1")),
    company=Level("E1KNB1M", KNB1, ("BUKRS",),
                  ("AKONT", "ZTERM", "ZUAWA", "BUSAB", "SPERR", "LOEVM"),
                  label="company code"),
    area=Level("E1KNVVM", KNVV, ("VKORG", "VTWEG", "SPART"), ("WAERS", "KTGRD"),
               label="sales area"),
    not_in_company="102",
)

VENDOR = PartnerKind(
    name="Vendor", number_field="LIFNR", number_object="KREDITOR",
    koart="K", group_field="KTOKK",
    general=Level("E1LFA1M", LFA1, (), (
        "NAME1", "SORTL", "STRAS", "PSTLZ", "ORT01", "REGIO", "LAND1", "SPRAS", "TELF1",
        "BRSCH", "KUNNR"), required=("NAME1", "LAND1")),
    company=Level("E1LFB1M", LFB1, ("BUKRS",), ("AKONT", "ZTERM", "ZUAWA", "SPERR", "LOEVM"),
                  label="company code"),
    area=Level("E1LFM1M", LFM1, ("EKORG",), ("WAERS", "ZTERM"),
               label="purchasing organization"),
    not_in_company="104",
)


def _customer(ctx: CallContext, segments: list[InSegment], messages: Messages,
              control: dict[str, Any]) -> None:
    number = maintain(ctx, CUSTOMER, segments, messages, "IDOC_INPUT_DEBITOR",
                      origin=str(control.get("SNDPRN") or "").strip())
    if number:  # the delta to CRM (CRS_SEND_TO_SERVER), sent if the LUW commits
        send_customer_delta(ctx, number)


def _vendor(ctx: CallContext, segments: list[InSegment], messages: Messages,
            control: dict[str, Any]) -> None:
    number = maintain(ctx, VENDOR, segments, messages, "IDOC_INPUT_CREDITOR",
                      origin=str(control.get("SNDPRN") or "").strip())
    if number:  # the vendor's delta to CRM (queue R3AD_VENDOR<number>)
        send_vendor_delta(ctx, number)


@group.function(inbound_interface("IDOC_INPUT_DEBITOR", "ALE inbound: customer master (DEBMAS)"))
def idoc_input_debitor(ctx: CallContext, **params: Any) -> dict[str, Any]:
    return run_inbound(ctx, "IDOC_INPUT_DEBITOR", params, _customer)


@group.function(inbound_interface("IDOC_INPUT_CREDITOR", "ALE inbound: vendor master (CREMAS)"))
def idoc_input_creditor(ctx: CallContext, **params: Any) -> dict[str, Any]:
    return run_inbound(ctx, "IDOC_INPUT_CREDITOR", params, _vendor)
