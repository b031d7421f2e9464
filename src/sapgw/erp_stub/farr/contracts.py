"""The revenue contracts one processing run touches, held in memory and written back in the
run's LUW: contracts, POBs, mappings, fulfilments, invoices and the deferral items.

`finish` re-allocates each touched contract (allocation.py) and rebuilds the revenue
schedule of its POBs (schedule.py). Deferral items of periods before a POB's prospective
split keep their revenue; the posting figures of posted periods are never changed here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.farr import allocation, reads, schedule
from sapgw.erp_stub.farr.customizing import company
from sapgw.erp_stub.farr.tables import (
    FARR_D_CONTRACT,
    FARR_D_DEFITEM,
    FARR_D_FULFILLMT,
    FARR_D_INVOICE,
    FARR_D_MAPPING,
    FARR_D_POB,
)
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.money import currency_decimals

ZERO = Decimal(0)


def plan_of(pob: dict[str, Any], fulfilments: list[dict[str, Any]], decimals: int
            ) -> schedule.PobPlan:
    return schedule.PobPlan(
        alloc=pob["ALLOC_AMT"], fulfill_type=pob["FULFILL_TYPE"], event_type=pob["EVENT_TYPE"],
        start=pob["START_DATE"], end=pob["END_DATE"], quantity=pob["QUANTITY"],
        fulfilments=[(f["GJAHR"] + f["POPER"], f["REPORTED_QTY"], f["AMOUNT"])
                     for f in fulfilments],
        pro_period=pob["PRO_PERIOD"], pro_amount=pob["PRO_AMT_CUMULATE"],
        pro_quantity=pob["PRO_QTY_CUMULATE"], decimals=decimals)


class Contracts:
    def __init__(self, ctx: CallContext) -> None:
        self.ctx = ctx
        self.contracts: dict[str, dict[str, Any]] = {}
        self.pobs: dict[str, dict[str, Any]] = {}
        self.defitems: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self.fulfilments: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.invoices: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.mapping: dict[tuple[str, ...], dict[str, Any]] = {}
        self.unmapped: set[tuple[str, ...]] = set()   # keys read and found without a mapping
        self.existing_pobs: set[str] = set()   # POBs stored before this run
        self.touched: set[str] = set()
        self.new_rows: list[tuple[Any, dict[str, Any]]] = []
        self.mapping_changed: set[tuple[str, ...]] = set()

    # -- reading -----------------------------------------------------------------------
    def load(self, contract_id: str) -> dict[str, Any] | None:
        if contract_id in self.contracts:
            return self.contracts[contract_id]
        rows = reads.rows(self.ctx, FARR_D_CONTRACT, CONTRACT_ID=contract_id)
        if not rows:
            return None
        self.contracts[contract_id] = rows[0]
        for pob in reads.rows(self.ctx, FARR_D_POB, CONTRACT_ID=contract_id):
            self.pobs[pob["POB_ID"]] = pob
            self.existing_pobs.add(pob["POB_ID"])
        for row in reads.rows(self.ctx, FARR_D_DEFITEM, CONTRACT_ID=contract_id):
            self.defitems[row["POB_ID"]][row["GJAHR"] + row["POPER"]] = row
        for row in reads.rows(self.ctx, FARR_D_FULFILLMT, CONTRACT_ID=contract_id):
            self.fulfilments[row["POB_ID"]].append(row)
        for row in reads.rows(self.ctx, FARR_D_INVOICE, CONTRACT_ID=contract_id):
            self.invoices[row["POB_ID"]].append(row)
        return rows[0]

    def find(self, bukrs: str, reftype: str, refid: str) -> str | None:
        for contract in self.contracts.values():
            if (contract["COMPANY_CODE"], contract["REFERENCE_TYPE"],
                    contract["REFERENCE_ID"]) == (bukrs, reftype, refid):
                return str(contract["CONTRACT_ID"])
        rows = reads.rows(self.ctx, FARR_D_CONTRACT, COMPANY_CODE=bukrs,
                          REFERENCE_TYPE=reftype, REFERENCE_ID=refid)
        if not rows:
            return None
        self.load(rows[0]["CONTRACT_ID"])
        return str(rows[0]["CONTRACT_ID"])

    def read_mappings(self, keys: Iterable[tuple[str, ...]]) -> None:
        """Read the mappings of these source items (COMP, LOGSYS, TYPE, ID) in one query; a
        key without one is remembered as unmapped, so that `mapped` reads nothing again."""
        wanted = {key for key in keys if key not in self.mapping and key not in self.unmapped}
        if not wanted:
            return
        ids = {key[3] for key in wanted}
        for row in reads.rows_with(self.ctx, FARR_D_MAPPING, "SRCDOC_ID", ids):
            key = (row["SRCDOC_COMP"], row["SRCDOC_LOGSYS"], row["SRCDOC_TYPE"],
                   row["SRCDOC_ID"])
            if key in wanted:
                self.mapping[key] = row
        self.unmapped |= {key for key in wanted if key not in self.mapping}

    def mapped(self, key: tuple[str, ...]) -> dict[str, Any] | None:
        """The mapping of a source item, its contract loaded; None while it has none."""
        self.read_mappings([key])
        row = self.mapping.get(key)
        if row is not None:
            self.load(row["CONTRACT_ID"])
        return row

    def pobs_of(self, contract_id: str) -> list[dict[str, Any]]:
        return sorted((p for p in self.pobs.values() if p["CONTRACT_ID"] == contract_id),
                      key=lambda p: p["POB_ID"])

    # -- changing ----------------------------------------------------------------------
    def create(self, item: dict[str, Any]) -> str:
        contract_id = self.ctx.numbers.next("FARR_CONTR")
        setting = company(self.ctx, item["BUKRS"])
        today = self.ctx.clock.now().strftime("%Y%m%d")
        self.contracts[contract_id] = {
            "CONTRACT_ID": contract_id, "COMPANY_CODE": item["BUKRS"],
            "ACCT_PRINCIPLE": setting.ACCT_PRINCIPLE if setting else "",
            "DESCRIPTION": f"{item['RA_REFTYPE']} {item['RA_REFID']}"[:40],
            "PARTNER": item["PARTNER"], "REFERENCE_TYPE": item["RA_REFTYPE"],
            "REFERENCE_ID": item["RA_REFID"], "TRX_PRICE": ZERO,
            "TRX_PRICE_CURK": item["WAERS"], "ALLOC_DIFFER": ZERO, "PRICE_ADJUSTED": "",
            "NUM_OF_POB": 0, "CREATED_ON": today, "LAST_CHANGED_ON": today}
        return contract_id

    def add_pob(self, contract_id: str, values: dict[str, Any]) -> dict[str, Any]:
        pob_id = self.ctx.numbers.next("FARR_POB")
        pob = {"POB_ID": pob_id, "CONTRACT_ID": contract_id, "ALLOC_AMT": ZERO,
               "PRO_PERIOD": "", "PRO_AMT_CUMULATE": ZERO, "PRO_QTY_CUMULATE": ZERO, **values}
        self.pobs[pob_id] = pob
        self.touched.add(contract_id)
        return pob

    def map(self, key: tuple[str, ...], pob: dict[str, Any], header: str) -> None:
        contract = self.contracts[pob["CONTRACT_ID"]]
        self.mapping[key] = {
            "SRCDOC_COMP": key[0], "SRCDOC_LOGSYS": key[1], "SRCDOC_TYPE": key[2],
            "SRCDOC_ID": key[3], "POB_ID": pob["POB_ID"], "CONTRACT_ID": pob["CONTRACT_ID"],
            "ACCT_PRINCIPLE": contract["ACCT_PRINCIPLE"], "HEADER_ID": header,
            "REFERENCE_TYPE": contract["REFERENCE_TYPE"],
            "REFERENCE_ID": contract["REFERENCE_ID"]}
        self.unmapped.discard(key)
        self.mapping_changed.add(key)

    def split(self, contract_id: str, period: str) -> None:
        """A prospective change from `period`: the POBs stored before keep their revenue of
        the earlier periods (PRO_AMT_CUMULATE) and the quantity fulfilled then."""
        for pob in self.pobs_of(contract_id):
            if pob["POB_ID"] not in self.existing_pobs or pob["EVENT_TYPE"] == schedule.VALUE_BASED:
                continue
            rows = self.defitems[pob["POB_ID"]]
            pob["PRO_PERIOD"] = period
            pob["PRO_AMT_CUMULATE"] = sum((row["REV_AMT_DELTA"] for p, row in rows.items()
                                           if p < period), ZERO)
            pob["PRO_QTY_CUMULATE"] = sum((f["REPORTED_QTY"] for f in self.fulfilments[
                pob["POB_ID"]] if f["GJAHR"] + f["POPER"] < period), ZERO)
        self.touched.add(contract_id)

    def unsplit(self, contract_id: str) -> None:
        """A retrospective change: every period is computed again from the new terms."""
        for pob in self.pobs_of(contract_id):
            pob.update(PRO_PERIOD="", PRO_AMT_CUMULATE=ZERO, PRO_QTY_CUMULATE=ZERO)
        self.touched.add(contract_id)

    def fulfil(self, pob: dict[str, Any], row: dict[str, Any]) -> None:
        self.fulfilments[pob["POB_ID"]].append(row)
        self.new_rows.append((FARR_D_FULFILLMT, row))
        if pob["EVENT_TYPE"] == schedule.VALUE_BASED:
            pob["TRX_PRICE"] += row["AMOUNT"]
        self.touched.add(pob["CONTRACT_ID"])

    def invoice(self, pob: dict[str, Any], row: dict[str, Any]) -> None:
        self.invoices[pob["POB_ID"]].append(row)
        self.new_rows.append((FARR_D_INVOICE, row))
        self.touched.add(pob["CONTRACT_ID"])

    # -- allocation, schedule, writing -------------------------------------------------
    def finish(self) -> None:
        """Allocate and schedule every touched contract; register all writes."""
        ctx = self.ctx
        for contract_id in sorted(self.touched):
            contract, pobs = self.contracts[contract_id], self.pobs_of(contract_id)
            decimals = currency_decimals(ctx, contract["TRX_PRICE_CURK"]) or 2
            lines = [allocation.Line(p["POB_ID"], p["TRX_PRICE"], p["SSP"] or p["TRX_PRICE"],
                                     p["PREVENT_ALLOC"] == "X") for p in pobs]
            allocated = allocation.allocate(lines, decimals)
            effects = allocation.effects(lines, allocated)
            for pob in pobs:
                pob["ALLOC_AMT"] = allocated[pob["POB_ID"]]
                self._schedule(pob, decimals)
            contract.update(
                TRX_PRICE=sum((p["TRX_PRICE"] for p in pobs), ZERO),
                ALLOC_DIFFER=sum((e for e in effects.values() if e > 0), ZERO),
                PRICE_ADJUSTED="X" if any(effects.values()) else "", NUM_OF_POB=len(pobs),
                LAST_CHANGED_ON=ctx.clock.now().strftime("%Y%m%d"))
            ctx.delete(FARR_D_CONTRACT, {"CONTRACT_ID": contract_id})
            ctx.insert(FARR_D_CONTRACT, contract)
            ctx.delete(FARR_D_POB, {"CONTRACT_ID": contract_id})
            ctx.insert(FARR_D_POB, pobs)
            ctx.delete(FARR_D_DEFITEM, {"CONTRACT_ID": contract_id})
            rows = [row for pob in pobs for row in self.defitems[pob["POB_ID"]].values()]
            if rows:
                ctx.insert(FARR_D_DEFITEM, rows)
        for key in sorted(self.mapping_changed):
            ctx.delete(FARR_D_MAPPING, dict(zip(("SRCDOC_COMP", "SRCDOC_LOGSYS", "SRCDOC_TYPE",
                                                 "SRCDOC_ID"), key, strict=True)))
            ctx.insert(FARR_D_MAPPING, self.mapping[key])
        for model, row in self.new_rows:
            ctx.insert(model, row)

    def _schedule(self, pob: dict[str, Any], decimals: int) -> None:
        pob_id, split = pob["POB_ID"], pob["PRO_PERIOD"]
        rows = self.defitems[pob_id]
        invoiced: dict[str, Decimal] = defaultdict(Decimal)
        for invoice in self.invoices[pob_id]:
            invoiced[invoice["GJAHR"] + invoice["POPER"]] += invoice["INV_AMT"]
        plan = plan_of(pob, self.fulfilments[pob_id], decimals)
        extra = {p for p in (*rows, *invoiced) if not split or p >= split}
        planned = schedule.deltas(plan, extra)
        for period in sorted({*rows, *planned, *invoiced}):
            row = rows.setdefault(period, {
                "POB_ID": pob_id, "GJAHR": period[:4], "POPER": period[4:],
                "CONTRACT_ID": pob["CONTRACT_ID"], "REV_AMT_DELTA": ZERO,
                "REV_QTY_DELTA": ZERO, "INV_AMT_DELTA": ZERO, "REV_AMT_CATCHUP": ZERO,
                "REV_AMT_POSTED": ZERO, "INV_AMT_POSTED": ZERO, "RECON_KEY": ""})
            row["AMOUNT_CURK"] = pob["ALLOC_AMT_CURK"]
            if not split or period >= split:
                row["REV_AMT_DELTA"] = planned.get(period, ZERO)
                row["REV_QTY_DELTA"] = sum((q for p, q, _a in plan.fulfilments if p == period),
                                           ZERO)
            row["INV_AMT_DELTA"] = invoiced.get(period, ZERO)
