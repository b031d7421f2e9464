"""Message texts of this application (T100; docs/MESSAGES.md marks the numbers that are ours).

CRM_FM Funds Management inbound (ours).
"""

MESSAGES: dict[str, dict[str, str]] = {
    "CRM_FM": {
        "101": "Trade promotion &1 of fund usage &2 is not in ERP: project &1 missing",
        "102": "No accrual account determination for expense type &1, sales org &2",
        "103": "Fund posting &1 to be reversed has no accounting document",
        "104": "Fund posting &1: accounting document &2 posted",
        "105": "Fund posting &1 was posted before: accounting document &2",
        "106": "Posting type &1 of fund posting &2 is not A (accrual) or R (reversal)",
        "107": "Reversal fund posting &1 names no fund posting to reverse",
        "108": "Fund posting ID &1 does not fit the reference field (&2 characters)",
        "109": "Fund posting without ID: no accounting document posted",
    },
}
