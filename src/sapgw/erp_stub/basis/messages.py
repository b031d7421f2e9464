"""Message texts of this application (T100; docs/MESSAGES.md marks the numbers that are ours).

FL function library (RFC_GET_FUNCTION_INTERFACE), SR RFC test messages (RFC_RAISE_ERROR),
SV table maintenance.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "FL": {
        "046": "Function module &1 not found",
    },
    "SR": {
        "006": "&1 &2 &3 &4",
    },
    "SV": {
        "029": "Table &1 is not available",
    },
}
