"""Message texts of this application (T100; docs/MESSAGES.md marks the numbers that are ours).

CJ project system; CRM_MKTPL (ours): trade promotions to PS.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "CJ": {
        "011": "Project &1 does not exist",
        "021": "WBS element &1 does not exist",
    },
    "CRM_MKTPL": {
        "001": "Project &1 created for trade promotion &2",
        "002": "Project &1 updated from trade promotion &2",
        "003": "Trade promotion without ID: no project created",
        "004": "Trade promotion &1: start &2 is after finish &3",
    },
}
