"""Message texts of this application (T100; docs/MESSAGES.md marks the numbers that are ours).

RW per reference/wire.md §4.1 (RW 9xx ours). FI sends F5 messages too: their class is
declared by fbas (FI master data and periods).
"""

MESSAGES: dict[str, dict[str, str]] = {
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
