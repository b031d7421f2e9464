"""`sapgw demo funds`: seed 004 end to end, told as it happens.

A trade promotion, a fund usage with two items and a run of accrual fund postings go through
the middleware into the ERP stub; then the BDocs, queues, IAOM objects and FI documents are
read back through the same interfaces a user has (REST/Python API and RFC_READ_TABLE).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, cast

from sapgw.gateway.client import Client
from sapgw.gateway.monitor import erp_views
from sapgw.gateway.tables_text import render
from sapgw.rfc.connection import RfcConnection

Print = Callable[[str], None]


def demo_funds(client: Client, echo: Print = print, today: str | None = None) -> dict[str, Any]:
    stamp = int(time.time() * 10) % 10**8
    tpm_id, fu_id, run_id = f"TPM{stamp}", str(stamp), f"ACR{stamp}"
    posting_date = today or time.strftime("%Y-%m-%d")
    echo(f"1. Trade promotion {tpm_id} (BDoc CRM_MKTPL)")
    tpm = client.send("CRM_MKTPL", {"HEADER": {
        "TPM_ID": tpm_id, "DESCRIPTION": "Demo summer promotion", "COMP_CODE": "1000",
        "SALES_ORG": "1000", "VALID_FROM": posting_date[:4] + "-01-01",
        "VALID_TO": posting_date[:4] + "-12-31"}})
    echo(f"2. Fund usage {fu_id} with items 10 and 20 (BDoc CRM_FM_FU)")
    fu = client.send("CRM_FM_FU", {
        "HEADER": {"FU_ID": fu_id, "FUND_ID": "FUND-DEMO", "FUND_TYPE": "TPM", "TPM_ID": tpm_id,
                   "COMP_CODE": "1000", "SALES_ORG": "1000", "CURRENCY": "EUR",
                   "EXPENSE_TYPE": "TPM1", "DESCRIPTION": "Demo fund usage"},
        "ITEMS": [{"ITEM_ID": "10", "AMOUNT": "1000.00"},
                  {"ITEM_ID": "20", "AMOUNT": "500.00"}]})
    echo(f"3. Accrual posting run {run_id}: two fund postings (BDoc CRM_FM_FPO)")
    postings = []
    for number, (item, amount) in enumerate((("10", "250.00"), ("20", "125.50")), start=1):
        fpo_id = f"FPO{stamp}{number}"
        postings.append((fpo_id, client.send("CRM_FM_FPO", {"HEADER": {
            "FPO_ID": fpo_id, "POSTING_TYPE": "ACCRUAL", "POSTING_DATE": posting_date,
            "FU_ID": fu_id, "FU_ITEM": item, "AMOUNT": amount, "CURRENCY": "EUR",
            "EXPENSE_TYPE": "TPM1", "SALES_ORG": "1000", "COMP_CODE": "1000",
            "RUN_ID": run_id}})))
    echo("   waiting until the queues are empty ...")
    client.wait_idle()

    sent = [("CRM_MKTPL", tpm), ("CRM_FM_FU", fu)] + [("CRM_FM_FPO", p) for _, p in postings]
    details = [client.bdoc(s["bdoc_id"]) for _, s in sent]
    echo("\nBDocs (SMW01)")
    echo(render([{**d, "queue": ", ".join(r["queue"] for r in d["receivers"])} for d in details],
                [("bdoc_id", "BDoc ID"), ("type", "Type"), ("state", "State"),
                 ("state_text", "State text"), ("queue", "Queue")]))
    echo("\nOutbound queues (SMQ1)")
    echo(render(client.queues("out"), [("name", "Queue"), ("status", "Status"),
                                       ("entries", "Entries"), ("error", "Error")],
                empty="(empty: every LUW was executed)"))
    echo("\nAccount assignment objects (IAOMC, business scenario CRMFM)")
    iaom = [client.rfc("IAOM_ASSIGNMENT_GET", BUS_SCENARIO_ID="CRMFM",
                       EXT_OBJECT_ID=f"{fu_id.zfill(20)}/{item}")["ES_ASSIGNMENT"]
            for item in ("10", "20")]
    echo(render(iaom, [("EXT_OBJECT_ID", "Business key"), ("OBJECT_NO", "CO object"),
                       ("CONTROLLING_TYPE", "Ctrl type"), ("AUFNR", "Order")]))
    echo("\nFI documents (BKPF/BSEG via RFC_READ_TABLE)")
    documents = []
    for fpo_id, _ in postings:
        header = read_table(client, "BKPF", ["BUKRS", "BELNR", "GJAHR", "BUDAT", "XBLNR"],
                            f"XBLNR = '{fpo_id}'")
        for doc in header:
            lines = read_table(client, "BSEG", ["BUZEI", "SHKZG", "HKONT", "WRBTR", "AUFNR"],
                               f"BUKRS = '{doc['BUKRS']}' AND BELNR = '{doc['BELNR']}' "
                               f"AND GJAHR = '{doc['GJAHR']}'")
            documents.append({**doc, "lines": lines})
            echo(f"  {doc['BUKRS']} {doc['BELNR']} {doc['GJAHR']}  posted {doc['BUDAT']}  "
                 f"XBLNR {doc['XBLNR']}")
            for line in lines:
                echo(f"      {line['BUZEI']} {line['SHKZG']} {line['HKONT']} "
                     f"{line['WRBTR']:>12} {line['AUFNR']}")
    states = [d["state"] for d in details]
    echo(f"\n{states.count('F04')} of {len(states)} BDocs confirmed by the ERP (F04).")
    return {"bdocs": details, "iaom": iaom, "documents": documents}


def read_table(client: Client, table: str, fields: list[str], where: str
               ) -> list[dict[str, str]]:
    """RFC_READ_TABLE rows as dicts, through whichever transport the client uses."""
    rfc = cast(RfcConnection, SimpleNamespace(call=client.rfc))
    return erp_views.read_table(rfc, table, fields, [row["TEXT"] for row in _options(where)])


def _options(where: str) -> list[dict[str, str]]:
    """Split a condition into OPTIONS rows of at most 72 characters, between words."""
    rows, line = [], ""
    for word in where.split(" "):
        if line and len(line) + 1 + len(word) > 72:
            rows.append({"TEXT": line})
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        rows.append({"TEXT": line})
    return rows
