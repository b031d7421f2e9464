"""Message texts of settlement (T100). KD is SAP's message class of settlement; every number
here is ours (docs/ERP_STUB.md "Settlement")."""

MESSAGES: dict[str, dict[str, str]] = {
    "KD": {
        "001": "Settlement of order &1, period &2/&3, posting date &4",
        "003": "&1 &2 under &3: &4 &5",
        "005": "Settlement document &1 posted for order &2",
        "006": "Test run: order &1 not settled",
        "007": "Reversal of settlement document &1 of order &2, period &3/&4, posted &5",
        "008": "Settlement document &1 reversed by &2 for order &3",
        "010": "Collective settlement: &1 orders selected, &2 settled, &3 with errors",
        "013": "No internal orders with a settlement rule in controlling area &1",
        "901": "Settlement profile &1 is not defined",
        "902": "Strategy sequence &1 has no strategy &2",
        "903": "Receiver type &1 is not allowed in settlement profile &2",
        "904": "Order &1 does not exist",
        "906": "Profitability segment &1 does not exist",
        "907": "Receiver &1 is not supported: give KOSTL or PAOBJNR",
        "910": "Order &1 has no settlement rule",
        "911": "No posting rule for &1 (RA cost element &2), company code &3, version &4",
        "912": "Cost element &1 is not in allocation structure &2 for receiver type &3",
        "914": "Order &1 has &2 distribution rules valid in &3/&4: one is settled here",
        "915": "No RA version of controlling area &1 is relevant to financial accounting",
        "920": "Nothing to settle for order &1 in period &2/&3",
        "921": "Period &1 of fiscal year &2 is not valid (001 to 016)",
        "922": "Settlement rule of order &1 saved: receiver &2 &3",
        "930": "Order &1 has no settlement in period &2/&3 that can be reversed",
        "931": "Order &1 was settled in the later period &2/&3: reverse that before &4/&5",
    },
}
