"""Message texts of this application (T100; docs/MESSAGES.md marks the numbers that are ours).

F5 FI master data and posting periods (F5 70x and 710-716 ours); FI's document check sends
them too.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "F5": {
        "102": "Customer &1 is not defined in company code &2",
        "104": "Vendor &1 is not defined in company code &2",
        "153": "G/L account &1 is not defined in company code &2",
        "165": "Company code &1 is not defined",
        "201": "Posting period &1 &2 is not open",
        "700": "Document &1 &2 &3 has already been reversed",
        "701": "Reversal: document &1 &2 &3 does not exist",
        "702": "Amount &1 in line item &2 is not a valid amount",
        "703": "Posting date &1 is not a valid date",
        "705": "Currency &1 does not match line item &2",
        "706": "Line item &1 has an amount of zero",
        "707": "Account &1 is marked for deletion in company code &2",
        "708": "Account &1 is blocked for posting in company code &2",
        "710": "Posting period variant &1 has no entry for account type &2",
        "711": "Period &1 is not a period of fiscal year variant &2",
        "712": "Period &1 &2: open periods of variant &3 would need three intervals",
        "713": "Posting period &1 &2 closed in posting period variant &3",
        "714": "Posting period &1 &2 opened in posting period variant &3",
        "715": "Action &1 is not C (close) or O (open)",
        "716": "Fiscal year &1 is not valid",
        "808": "Document type &1 is not defined",
    },
}
