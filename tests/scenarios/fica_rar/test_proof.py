"""Issue 11's proof: a CRM provider contract through FI-CA to Revenue Accounting, every figure
RAR shows checked against fica_rar.md §7's formulas computed here from the inputs.

The chain, all over public interfaces of the in-process gateway: CRM_PROVCONTRACT BDoc
(REST) → FI-CA contract and order items; one-off charges, recurring fees and a month of
rated consumption as billable items (`/1FE/0SAP_BIT_CREATE_API`, JSON RFC); billing and
invoicing (JSON RFC); FP_RAI_TRANSF (FKK_RAI_TRANSFER) → the ERP's qRFC to destination RAR;
RAR raw → processable → processed (FARR_RAI_TRANSFER, FARR_RAI_PROCESS), the posting run
(FARR_REVENUE_POSTING) and the consistency check (FARR_CHECK_CONS)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import update
from starlette.testclient import TestClient

from sapgw.clock import Clock
from sapgw.erp_stub.farr.tables import FARR_D_RAI_MI
from sapgw.gateway.runtime import Gateway

from .support import (
    ZERO,
    allocate,
    at,
    bill_and_invoice,
    billable_item,
    check_cons,
    contract_bdoc,
    contract_item,
    contract_of,
    create_bits,
    cumulative,
    latest_position,
    master_data,
    pobs_by_name,
    position,
    post,
    rar_process,
    rar_state,
    schedule,
    send_bdoc,
    time_based,
    totals,
    transfer,
)

D = Decimal


# The inputs of the proof (fica_rar.md §7.2's Example A, items as FI-CA has them).
DEVICE_PRICE, DEVICE_SSP = D("90.00"), D("100.00")
SERVICE_PRICE, SERVICE_SSP = D("30.00"), D("50.00")
ONE_OFF = D("25.00")
CONSUMPTION = [("20261203", "1.50"), ("20261203", "1.50"), ("20261207", "1.25"),
               ("20261219", "2.10"), ("20261230", "0.95")]
DEVICE_UPFRONT, SERVICE_FEE = D("90.00"), D("2.50")   # invoiced in December
RENEWED_PRICE, RENEWED_END = D("36.00"), "20281130"


def test_the_proof_from_a_crm_contract_to_revenue_accounting(
        gateway: Gateway, http: TestClient, clock: Clock) -> None:
    gpart, vkont = master_data(http)
    first = send_bdoc(http, contract_bdoc("PC-4711", gpart, [
        contract_item("10", vkont, str(DEVICE_PRICE), "2026-12-01", "2027-11-30",
                      str(DEVICE_SSP), QUANTITY="2", UNIT="PC"),
        contract_item("20", vkont, str(SERVICE_PRICE), "2026-12-01", "2027-11-30",
                      str(SERVICE_SSP), PRICE="2.50", PERIOD_UNIT="MON", PERIOD_LENGTH="1")],
        [{"ITEM_NO": "20", "SERVICE_TYPE": "USAGE"}]))
    gateway.run_until_idle()
    assert gateway.bdoc(first)["state"] == "F04"

    # December: the charging system sends a one-off charge, the recurring fees and the usage
    at(clock, "20261210")
    results = create_bits(http, [
        billable_item("ONE-1", vkont, "PC-4711", "10", str(ONE_OFF), "20261205", "ONCE"),
        billable_item("FEE-10", vkont, "PC-4711", "10", str(DEVICE_UPFRONT), "20261201",
                      "RECF", SERVICE_TYPE="RECFEE"),
        billable_item("FEE-20", vkont, "PC-4711", "20", str(SERVICE_FEE), "20261201",
                      "RECF", SERVICE_TYPE="RECFEE"),
        *(billable_item(f"USG-{n}", vkont, "PC-4711", "20", amount, day, "USAG",
                        BIT_QUANTITY="1", BIT_QTY_UNIT="MIN")
          for n, (day, amount) in enumerate(CONSUMPTION))])
    assert {r["BITSTATUS"] for r in results} == {"2"}, results
    at(clock, "20261231")
    bill_and_invoice(http, vkont, "20261231")
    log = transfer(http)["ET_LOG"]
    assert {row["SRCDOC_TYPE"]: row["SENT"] for row in log} == {
        "CAOI": 3, "CABO": 1, "CAFI": 4, "CAIN": 4}   # usage: one fulfilment item per day
    rar_process(gateway)
    december = post(gateway, "202612")

    state = rar_state(gateway)
    c1 = contract_of(state, "PC-4711")
    pobs = pobs_by_name(state, c1)
    device, service = pobs["PC-4711/000010 RECFEE"], pobs["PC-4711/000020 RECFEE"]
    one_off, usage = pobs["ONE-1/00000000 ONEOFF"], pobs["PC-4711/000020/USAGE USAGE"]
    # Step 4: allocation by SSP (the one-off charge's SSP is its price; usage outside)
    expected = allocate([DEVICE_PRICE, SERVICE_PRICE, ONE_OFF],
                        [DEVICE_SSP, SERVICE_SSP, ONE_OFF])
    assert [device["ALLOC_AMT"], service["ALLOC_AMT"], one_off["ALLOC_AMT"]] == expected
    assert sum(expected, ZERO) == DEVICE_PRICE + SERVICE_PRICE + ONE_OFF
    consumed = sum((D(a) for _d, a in CONSUMPTION), ZERO)
    assert usage["ALLOC_AMT"] == consumed and usage["PREVENT_ALLOC"] == "X"
    effects = [p["ALLOC_AMT"] - p["TRX_PRICE"] for p in (device, service, one_off)]
    assert sum(effects, ZERO) == 0
    [contract] = [c for c in state["ET_CONTRACTS"] if c["CONTRACT_ID"] == c1]
    assert contract["ALLOC_DIFFER"] == sum((e for e in effects if e > 0), ZERO)
    # Step 5: revenue per period
    device_plan = time_based(expected[0], "20261201", "20271130")
    service_plan = time_based(expected[1], "20261201", "20271130")
    assert schedule(state, device["POB_ID"]) == device_plan
    assert schedule(state, service["POB_ID"]) == service_plan
    assert schedule(state, one_off["POB_ID"]) == {"202612": expected[2]}
    assert schedule(state, usage["POB_ID"]) == {"202612": consumed}
    # contract asset / liability at the end of December
    revenue = device_plan["202612"] + service_plan["202612"] + expected[2] + consumed
    invoiced = DEVICE_UPFRONT + SERVICE_FEE + ONE_OFF + consumed
    posted = totals(december, c1)
    assert posted[("RV", "H")] == revenue and posted[("IC", "S")] == invoiced
    flag, amount = position(revenue, invoiced)
    assert latest_position(state, c1) == (flag, amount) == ("CL", D("86.43"))  # 38.37 - 124.80
    assert posted[(flag, "H" if flag == "CL" else "S")] == amount
    assert check_cons(gateway, http) == []

    # January: the renewal with change reason RN opens a new revenue contract (prospective)
    at(clock, "20270115")
    renewal = send_bdoc(http, contract_bdoc("PC-4711", gpart, [
        contract_item("20", vkont, str(RENEWED_PRICE), "2026-12-01", "2028-11-30",
                      str(SERVICE_SSP), PRICE="2.50", PERIOD_UNIT="MON", PERIOD_LENGTH="1",
                      CHANGE_REASON="RN")], [{"ITEM_NO": "20", "SERVICE_TYPE": "USAGE"}]))
    gateway.run_until_idle()
    assert gateway.bdoc(renewal)["state"] == "F04"
    at(clock, "20270131")
    assert {row["SRCDOC_TYPE"]: row["SENT"] for row in transfer(http)["ET_LOG"]}["CAOI"] == 2
    rar_process(gateway)
    january = post(gateway, "202701")

    state = rar_state(gateway)
    c2 = contract_of(state, "PC-4711-0002")
    renewed = pobs_by_name(state, c2)
    assert renewed["PC-4711/000020 RECFEE"]["CONTRACT_ID"] == c2
    [alloc2] = allocate([RENEWED_PRICE], [SERVICE_SSP])
    assert renewed["PC-4711/000020 RECFEE"]["ALLOC_AMT"] == alloc2
    plan2 = time_based(alloc2, "20270115", RENEWED_END)   # from the effective date
    assert schedule(state, renewed["PC-4711/000020 RECFEE"]["POB_ID"]) == plan2
    assert latest_position(state, c2) == position(plan2["202701"], ZERO)
    assert totals(january, c2)[("RV", "H")] == plan2["202701"]
    # the first contract goes on as it was: one more month of device and service
    revenue1 = (cumulative(device_plan, "202701") + cumulative(service_plan, "202701")
                + expected[2] + consumed)
    assert totals(january, c1)[("RV", "H")] == device_plan["202701"] + service_plan["202701"]
    assert latest_position(state, c1) == position(revenue1, invoiced)
    assert check_cons(gateway, http) == []


# A second contract with other figures: three items of equal SSP (the residue rule of §7.4),
# terms of 7, 5 and 12 months (splits that round), an upfront invoice of the first item.
OTHER = [("10", D("50.00"), D("70.00"), "20270101", "20270731"),
         ("20", D("30.00"), D("70.00"), "20270101", "20270531"),
         ("30", D("20.00"), D("70.00"), "20270101", "20271231")]
UPFRONT = D("50.00")
WHOLE_TERM = D("30.00")   # item 20 invoiced for its whole term: its final invoice


def iso(day: str) -> str:
    return f"{day[:4]}-{day[4:6]}-{day[6:]}"


def test_another_contract_by_the_same_formulas_rounding_included(
        gateway: Gateway, http: TestClient, clock: Clock) -> None:
    at(clock, "20261228")
    gpart, vkont = master_data(http)
    sent = send_bdoc(http, contract_bdoc("PC-0815", gpart, [
        contract_item(no, vkont, str(price), iso(start), iso(end), str(ssp))
        for no, price, ssp, start, end in OTHER]))
    gateway.run_until_idle()
    assert gateway.bdoc(sent)["state"] == "F04"
    at(clock, "20270110")
    create_bits(http, [
        billable_item("UP-1", vkont, "PC-0815", "10", str(UPFRONT), "20270110", "RECF",
                      SERVICE_TYPE="RECFEE"),
        billable_item("UP-2", vkont, "PC-0815", "20", str(WHOLE_TERM), "20270110", "RECF",
                      SERVICE_TYPE="RECFEE", BITDATE_FROM="20270101", BITDATE_TO="20270531")])
    at(clock, "20270131")
    bill_and_invoice(http, vkont, "20270131")
    transfer(http)
    rar_process(gateway)
    january = post(gateway, "202701")
    at(clock, "20270228")
    february = post(gateway, "202702")

    state = rar_state(gateway)
    contract = contract_of(state, "PC-0815")
    pobs = pobs_by_name(state, contract)
    expected = allocate([price for _n, price, *_ in OTHER], [ssp for _n, _p, ssp, *_ in OTHER])
    assert expected == [D("33.33"), D("33.33"), D("33.34")]   # 100.00 / 3, residue to the last
    plans = [time_based(alloc, start, end)
             for alloc, (_n, _p, _s, start, end) in zip(expected, OTHER, strict=True)]
    for (no, *_), alloc, plan in zip(OTHER, expected, plans, strict=True):
        pob = pobs[f"PC-0815/0000{no} RECFEE"]
        assert pob["ALLOC_AMT"] == alloc
        assert schedule(state, pob["POB_ID"]) == plan
        assert sum(plan.values(), ZERO) == alloc
    assert plans[0]["202707"] == D("4.77") and plans[1]["202705"] == D("6.65")
    for month, lines in (("202701", january), ("202702", february)):
        revenue = sum((plan[month] for plan in plans), ZERO)
        assert totals(lines, contract)[("RV", "H")] == revenue
    revenue = sum((cumulative(plan, "202702") for plan in plans), ZERO)
    assert latest_position(state, contract) == position(revenue, UPFRONT + WHOLE_TERM)
    assert check_cons(gateway, http) == []
    # the invoice items carry what FI-CA's invoicing document says (DFKKINVDOC_H-FAEDN …)
    invoices = {item["VTPOS"]: item for item in state["ET_ITEMS"]
                if item["SRCDOC_TYPE"] == "CAIN"}
    assert {(vtpos, i["INVOICE_TYPE"], i["DUE_DATE"], i["FINAL_INVOICE"], i["REVERSAL"])
            for vtpos, i in invoices.items()} == {
        ("000010", "IN", "20270214", "", ""), ("000020", "IN", "20270214", "X", "")}

    # the check finds exactly one tampered amount (test only: written behind RAR's back)
    rar = gateway.destinations.local_system("RAR")
    items = FARR_D_RAI_MI.__table__  # type: ignore[attr-defined]
    with rar.db.write() as conn:
        conn.execute(update(items).where(items.c.SRCDOC_ID == "PC-0815/000020")
                     .values(BETRW=D("31.00")))
    [finding] = check_cons(gateway, http)
    assert (finding["CHECK"], finding["SRCDOC_TYPE"], finding["SRCDOC_ID"]) == (
        "AMT", "CAOI", "PC-0815/000020")
    assert finding["MESSAGE"] == "Item CAOI PC-0815/000020: amount 30.00 sent, 31.00 stored"
