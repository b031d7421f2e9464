"""Message texts of results analysis (T100). Class ZRA and all its numbers are ours: SAP's RA
messages are not in the sources (docs/ERP_STUB.md "Results analysis")."""

MESSAGES: dict[str, dict[str, str]] = {
    "ZRA": {
        "001": "Results analysis of order &1, period &2/&3, RA version &4",
        "002": "Method &1: POC &2 %, cost of sales &3, calculated revenue &4",
        "003": "&1 under RA cost element &2: &3 &4 cumulative",
        "004": "Status &1 reached: WIP and reserves cancelled, actual values realised",
        "005": "Results of order &1 saved for period &2/&3",
        "006": "Test run: results of order &1 not saved",
        "010": "Collective processing: &1 orders selected, &2 processed, &3 with errors",
        "013": "No internal orders with a results analysis key in controlling area &1",
        "014": "Order &1, period &2/&3: &4 RA values saved",
        "015": "Cancel results analysis of order &1, period &2/&3, RA version &4",
        "016": "Results of order &1 for period &2/&3 cancelled (RA document &4)",
        "901": "Order &1 has no results analysis key",
        "902": "Results analysis key &1 of order &2 is not defined",
        "903": "No valuation for RA key &1 in RA version &2 of controlling area &3",
        "904": "Cost element &1 is not assigned to a line ID in RA version &2",
        "905": "No planned &1 on order &2: method &3 cannot compute a POC",
        "906": "No update rule for RA category &1 in RA version &2",
        "907": "Order &1 is closed (CLSD): no results analysis",
        "908": "Period &1 of fiscal year &2 is not valid (001 to 016)",
        "909": "RA version &1 is not defined in controlling area &2",
        "910": "Currency &1 is not defined",
        "911": "Valuation method &1 of RA key &2 is not supported (01, 03, 13)",
        "912": "Order &1 does not exist",
        "915": "Order &1 has RA data in the later period &2/&3: cancel that first",
        "917": "Order &1 has no RA data in period &2/&3 to cancel",
    },
}
