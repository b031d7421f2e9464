"""Message texts of this application (T100; docs/MESSAGES.md marks the numbers that are ours).

IAOM account assignment objects (ours).
"""

MESSAGES: dict[str, dict[str, str]] = {
    "IAOM": {
        "010": "No account assignment object for scenario &1 and key &2",
        "011": "Account assignment object &1 created for &2 &3",
        "012": "Order type &1 of business scenario &2 is not defined",
        "013": "Controlling type T needs a trade promotion: fund usage &1 has none",
        "014": "Controlling type &1 of business scenario &2 is not supported",
        "015": "Business scenario &1 has no controlling scenario",
        "016": "Fund usage &1 has no items: no account assignment object created",
        "017": "Account assignment object &1 for &2 &3 exists already",
    },
}
