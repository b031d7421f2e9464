"""Message texts of CO-PA (T100). KE is SAP's message class for profitability analysis; all
numbers and texts here are ours (docs/ERP_STUB.md, "CO-PA")."""

MESSAGES: dict[str, dict[str, str]] = {
    "KE": {
        "901": "Controlling area &1 is not assigned to an operating concern",
        "902": "Record type &1 is not defined",
        "903": "&1 is not a characteristic of operating concern &2",
        "904": "&1 is not a value field of operating concern &2",
        "905": "No values to post to operating concern &1",
        "906": "PA transfer structure &1 is not defined",
        "907": "Cost element &1 has no assignment in PA transfer structure &2 (area &3)",
        "908": "Cost element &1 does not exist in controlling area &2 on &3",
        "909": "Cost element &1 is assigned twice in PA transfer structure &2: &3",
        "910": "Currency &1 differs from operating concern currency &2 (no translation)",
        "911": "Value &1 of &2 is longer than &3 characters",
        "912": "Posting date &1 is not a date YYYYMMDD",
        "913": "&1 line items of operating concern &2 selected",
        "914": "No line items of operating concern &1 match the selection",
        "915": "Operating concern &1 is not defined",
        "916": "Period &1 is not valid: give YYYYPPP",
        "917": "&1 is not a reference field of CO-PA line items",
        "918": "Value field &1 of PA transfer structure &2 line &3 is not defined",
        "919": "No PA transfer structure for direct postings (KEI2) in area &1",
        "920": "Profitability segment &1 does not exist",
        "921": "Profitability segment &1 belongs to controlling area &2, not &3",
    },
}
