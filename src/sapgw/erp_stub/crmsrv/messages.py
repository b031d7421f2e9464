"""Message texts of this application (T100; docs/MESSAGES.md marks the numbers that are ours).

IAOM_CRMSRV is SAP's message class of the CRM Service controlling integration
(reference/controlling.md §9.2); its numbers and texts here are ours.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "IAOM_CRMSRV": {
        "101": "No controlling type for transaction type &1, service org &2 (CTP)",
        "102": "No controlling scenario for transaction type &1, service org &2 (CSC)",
        "103": "Controlling type &1 of transaction type &2 is not supported",
        "104": "Sales organization &1 is not in ERP (TVKO): no company code",
        "105": "Item category &1 of item &2 is not maintained (CRMSRV_ITMCAT)",
        "106": "No activity type for item category &1, service type &2 (CRMC_CATS_CO)",
        "107": "Costing variant &1 is not maintained (CRMSRV_KALV)",
        "108": "No planned price for cost center &1, activity type &2 in fiscal year &3",
        "109": "Tool &1 of item &2 has no cost center and activity type (CRMSRV_TOOL)",
        "110": "Order type rule &1 failed: &2",
        "111": "Order type rule &1 answered order type &2, which does not exist",
        "112": "Document &1 refers to &2, which has no controlling object in ERP",
        "113": "Internal order &1 created for &2 &3",
        "114": "&1 &2 was transferred before: controlling object &3",
        "115": "Confirmation &1 confirms &2, which has no controlling object in ERP",
        "116": "Item &1 of confirmation &2: employee number is required",
        "117": "Confirmation &1 was posted before",
        "118": "Confirmation &1 posted: &2",
        "119": "Item &1: net value &2 cannot be priced per &3 &4",
        "120": "No cost element for expense item category &1 (CRMC_CATS_CO)",
        "121": "Document &1 has no items relevant for controlling",
        "122": "Mass-object controlling for &1: no order, postings go to CO-PA",
        "124": "Employee &1 has no organizational assignment (PA0001) on &2",
        "125": "Item &1 (&2): no goods issue to a profitability segment (mass-object)",
        "127": "Sales item &1 (&2): no undelivered item of it on sales document &3",
    },
}
