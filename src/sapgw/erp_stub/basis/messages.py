"""Message texts of this application (T100; docs/MESSAGES.md marks the numbers that are ours).

SV table maintenance.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "SV": {
        "029": "Table &1 is not available",
    },
}
