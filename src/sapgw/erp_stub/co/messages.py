"""Message texts of this application (T100; docs/MESSAGES.md marks the numbers that are ours).

KI/KO: KO 107/497 per reference/wire.md §4.4 (texts ours), KO 9xx ours. KS (cost centers),
KA (cost elements), KL (activity types) are SAP's classes for that master data, KP its class
for planning; all their numbers here are ours.
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
        "906": "Company code &1 is not assigned to a controlling area",
        "907": "Valid-to date &1 lies before valid-from date &2",
        "908": "Currency &1 is not defined",
        "909": "Test run: &1 entries checked without errors, nothing saved",
        "910": "Value &1 of &2 is not supported by this system",
        "911": "Table &1 is empty: nothing to do",
    },
    "KS": {
        "901": "Cost center &1 already exists in controlling area &2 (&3 to &4)",
        "902": "Cost center &1 created in controlling area &2",
        "903": "Cost center &1 appears more than once in &2",
        "904": "No cost centers found in controlling area &1",
    },
    "KA": {
        "901": "Cost element &1 already exists in controlling area &2 (&3 to &4)",
        "902": "Cost element &1 created in controlling area &2",
        "903": "Cost element category &1 is not defined",
        "904": "Cost element category &1 is not allowed for &2 cost elements",
        "905": "Primary cost element &1 needs G/L account &1 in chart of accounts &2",
        "906": "G/L account &1 is a balance sheet account: category &2 not allowed",
        "907": "&1 is a G/L account of chart &2: category &3 is for secondary elements",
        "908": "Cost element &1 appears more than once in &2",
        "909": "G/L account &1 is not a balance sheet account: category &2 not allowed",
        "910": "Cost element &1 does not exist in controlling area &2 on &3",
        "911": "No cost elements found in controlling area &1",
    },
    "KL": {
        "901": "Activity type &1 already exists in controlling area &2 (&3 to &4)",
        "902": "Activity type &1 created in controlling area &2",
        "903": "&1 is not a cost element of category 43 in area &2 on &3",
        "904": "Activity type category &1 is not defined",
        "905": "Activity type &1 appears more than once in &2",
        "906": "Activity type &1 does not exist in controlling area &2 on &3",
        "907": "No activity types found in controlling area &1",
    },
    "KP": {
        "901": "Price &1 is negative",
        "902": "Price unit &1 must be greater than zero",
        "903": "Plan version &1 is not supported: only version 000",
        "904": "Currency &1 differs from the controlling area currency &2",
        "905": "Planned prices saved for &1 cost center/activity types in &2",
        "906": "No planned prices in controlling area &1, fiscal year &2, version &3",
        "907": "Value row &1 named in IDX_STRUCTURE is in neither TOT_VALUE nor PER_VALUE",
        "908": "Object row &1 named in IDX_STRUCTURE is not in OBJECT",
        "909": "Distribution key &1 is not supported: only 1 (same price each period)",
        "910": "Periods &1 to &2 are not valid: 001 to 016, from not after to",
    },
}
