"""Message texts of this application (T100; docs/MESSAGES.md marks the numbers that are ours).

KI/KO: KO 107/497 per reference/wire.md §4.4 (texts ours), KO 9xx ours.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "KI": {
        "100": "Cost center &1 does not exist in controlling area &2",
        "154": "More than one CO account assignment in line item &1",
        "235": "Account &1 requires an assignment to a CO object",
    },
    "KO": {
        "013": "Order &1 does not exist",
        "107": "Order &1 saved",
        "497": "Test run: order data is correct, no order created",
        "901": "Order type &1 is not defined",
        "902": "Company code &1 is not assigned to controlling area &2",
        "903": "Settlement rules are not supported by this system",
        "904": "Required field &1 was not transferred in parameter &2",
        "905": "Controlling area &1 is not defined",
    },
}
