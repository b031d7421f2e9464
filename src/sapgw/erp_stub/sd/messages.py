"""Message texts of SD (T100; docs/MESSAGES.md marks the numbers that are ours).

V1 311 ("Standard Order 4711 has been saved") and V4 219/233 (the BAPI's "not changed" and
"processed successfully" rows) are SAP's numbers as BAPI_SALESORDER_CREATEFROMDAT2 answers
them; V1 9xx (sales documents) and VF 9xx (billing) are ours in SAP's classes.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "V1": {
        "311": "&1 &2 has been saved",
        "901": "Sales document type &1 is not defined",
        "902": "Sales area &1 &2 &3 is not defined",
        "903": "Sold-to party &1 is not maintained for sales area &2 &3 &4",
        "904": "Sold-to party &1 has no company code data in company code &2",
        "905": "Enter a sold-to party (partner function AG) in ORDER_PARTNERS",
        "906": "Partner function &1 is not supported by this system",
        "907": "Item category &1 is not defined",
        "908": "No item category for sales document type &1 and item category group &2",
        "909": "Material &1 does not exist",
        "910": "Material &1 is not maintained in plant &2",
        "911": "Enter an order quantity greater than zero for item &1",
        "912": "Item &1 is given twice",
        "913": "Field &1 of parameter &2 is not supported by this system",
        "914": "No items transferred",
        "915": "Pricing error: mandatory condition &1 is missing in item &2",
        "916": "Condition type &1 is not supported (only &2 is priced here)",
        "917": "Currency &1 of the condition differs from the document currency &2",
        "918": "Currency &1 is not defined",
        "919": "Enter a price unit greater than zero for item &1",
        "920": "Order &1 of item &2 does not exist",
        "921": "Order &1 of item &2 belongs to company code &3, not &4",
        "922": "&1 row &2 refers to item &3, which is not in ORDER_ITEMS_IN",
        "923": "Unit &1 is not defined",
        "924": "Enter a value for &1 in &2",
    },
    "V4": {
        "219": "Sales document &1 was not changed",
        "233": "&1 has been processed successfully",
    },
    "VF": {
        "901": "Sales document &1 does not exist",
        "902": "Item &2 of sales document &1 does not exist",
        "903": "Item &2 of document &1 is not relevant for order-related billing",
        "904": "Item &2 of document &1 is already fully invoiced (billing document &3)",
        "905": "Billing type &1 is not defined",
        "906": "Reference document category &1 is not supported (only C, sales order)",
        "907": "No revenue account for &1 &2 &3 &4 (VKOA)",
        "908": "&1 &2 differs from the sales document's &3",
        "909": "Partial billing is not supported: quantity &1 differs from &2 of item &3",
        "910": "Item &1 is given twice for billing",
        "911": "Document &1 has been saved",
        "912": "No billing data transferred",
        "913": "Field &1 of parameter &2 is not supported by this system",
        "914": "Billing type &1 has document category &2: only invoices (M) are built",
        "915": "Revenue account &1 is no revenue element (category 11/12) in area &2",
    },
}
