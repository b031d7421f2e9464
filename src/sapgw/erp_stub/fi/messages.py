"""Message texts of this application (T100; docs/MESSAGES.md marks the numbers that are ours).

RW per reference/wire.md §4.1 (RW 9xx ours), F5 FI master data and periods (F5 70x ours).
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
        "808": "Document type &1 is not defined",
    },
    "RW": {
        "002": "No item information transferred",
        "003": "No currency information transferred",
        "004": "Object type or reference number is initial",
        "014": "FI/CO interface: Line item entered several times",
        "018": "Currency item &1 entered several times",
        "021": "Line item &1 without transaction currency information",
        "022": "FI/CO interface: Balance in transaction currency",
        "605": "Document posted successfully: &1 &2 &3",
        "609": "Error in document: &1 &2 &3",
        "614": "Document check - no errors",
        "616": "Currency item &1 has no line item",
        "637": "Document status &1 is not valid",
        "901": "Required field &1 was not transferred in parameter &2",
        "902": "Reference &1 &2 has already been posted: document &3",
        "903": "Currency &1 is not defined",
        "904": "Line item &1 has no amount in company code currency &2",
        "905": "Line item &1: company code &2 differs from the document's company code &3",
        "906": "Currency type &1 is not supported",
        "907": "Fiscal year/period &1/&2 does not match posting date &3",
        "908": "Field &1 of parameter &2 is not supported by this system",
        "909": "Controlling area currency &1 differs from company code currency &2",
    },
}
