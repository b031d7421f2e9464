"""Message texts (T100-like) and BAPIRET2 rows built from them.

Texts use SAP's placeholders &1..&4 (and & in order). Where reference/wire.md gives the class
and number we use it; numbers marked `ours` in docs/MESSAGES.md are our choice.
"""

from __future__ import annotations

from typing import Any

T100: dict[tuple[str, str], str] = {
    # FI/CO interface (RW), reference/wire.md §4.1
    ("RW", "002"): "No item information transferred",
    ("RW", "003"): "No currency information transferred",
    ("RW", "014"): "FI/CO interface: Line item entered several times",
    ("RW", "018"): "Currency item &1 entered several times",
    ("RW", "021"): "Line item &1 without transaction currency information",
    ("RW", "022"): "FI/CO interface: Balance in transaction currency",
    ("RW", "605"): "Document posted successfully: &1 &2 &3",
    ("RW", "609"): "Error in document: &1 &2 &3",
    ("RW", "614"): "Document check - no errors",
    ("RW", "616"): "Currency item &1 has no line item",
    # FI master data and periods
    ("F5", "102"): "Customer &1 is not defined in company code &2",
    ("F5", "104"): "Vendor &1 is not defined in company code &2",
    ("F5", "165"): "Company code &1 is not defined",
    ("F5", "201"): "Posting period &1 &2 is not open",
    ("F5", "153"): "G/L account &1 is not defined in company code &2",
    ("F5", "808"): "Document type &1 is not defined",
    ("F5", "702"): "Amount &1 in line item &2 is not a valid amount",
    ("F5", "703"): "Posting date &1 is not a valid date",
    ("F5", "705"): "Currency &1 does not match line item &2",
    ("F5", "706"): "Line item &1 has an amount of zero",
    ("F5", "701"): "Reversal: document &1 &2 &3 does not exist",
    ("F5", "700"): "Document &1 &2 &3 has already been reversed",
    ("F5", "707"): "Account &1 is marked for deletion in company code &2",
    ("F5", "708"): "Account &1 is blocked for posting in company code &2",
    # Controlling
    ("KI", "235"): "Account &1 requires an assignment to a CO object",
    ("KI", "100"): "Cost center &1 does not exist in controlling area &2",
    ("KO", "013"): "Order &1 does not exist",
    ("KI", "154"): "More than one CO account assignment in line item &1",
    # Project system
    ("CJ", "011"): "Project &1 does not exist",
    ("CJ", "021"): "WBS element &1 does not exist",
    # IAOM / funds (ours)
    ("IAOM", "010"): "No account assignment object for scenario &1 and key &2",
    ("IAOM", "011"): "Account assignment object &1 created for &2 &3",
    ("CRM_FM", "101"): "Trade promotion &1 of fund usage &2 is not in ERP: project &1 missing",
    ("CRM_FM", "102"): "No accrual account determination for expense type &1, sales org &2",
    ("CRM_FM", "103"): "Fund posting &1 to be reversed has no accounting document",
    ("CRM_FM", "104"): "Fund posting &1: accounting document &2 posted",
    # Number ranges
    ("NR", "751"): "Number range interval &1 &2 of object &3 is exhausted",
    ("NR", "752"): "Number range interval for object &1 (&2) does not exist",
    # Generic
    ("SV", "029"): "Table &1 is not available",
    # FI/CO interface, continued: RW 004/637 per reference/wire.md §4.1, RW 9xx ours
    ("RW", "004"): "Object type or reference number is initial",
    ("RW", "637"): "Document status &1 is not valid",
    ("RW", "901"): "Required field &1 was not transferred in parameter &2",
    ("RW", "902"): "Reference &1 &2 has already been posted: document &3",
    ("RW", "903"): "Currency &1 is not defined",
    ("RW", "904"): "Line item &1 has no amount in company code currency &2",
    ("RW", "905"): "Line item &1: company code &2 differs from the document's company code &3",
    ("RW", "906"): "Currency type &1 is not supported",
    ("RW", "907"): "Fiscal year/period &1/&2 does not match posting date &3",
    ("RW", "908"): "Field &1 of parameter &2 is not supported by this system",
    ("RW", "909"): "Controlling area currency &1 differs from company code currency &2",
    # Internal orders: KO 107/497 per reference/wire.md §4.4 (texts ours), KO 9xx ours
    ("KO", "107"): "Order &1 saved",
    ("KO", "497"): "Test run: order data is correct, no order created",
    ("KO", "901"): "Order type &1 is not defined",
    ("KO", "902"): "Company code &1 is not assigned to controlling area &2",
    ("KO", "903"): "Settlement rules are not supported by this system",
    ("KO", "904"): "Required field &1 was not transferred in parameter &2",
    ("KO", "905"): "Controlling area &1 is not defined",
    # Trade promotions -> PS (ours)
    ("CRM_MKTPL", "001"): "Project &1 created for trade promotion &2",
    ("CRM_MKTPL", "002"): "Project &1 updated from trade promotion &2",
    ("CRM_MKTPL", "003"): "Trade promotion without ID: no project created",
    ("CRM_MKTPL", "004"): "Trade promotion &1: start &2 is after finish &3",
    # IAOM / funds, continued (ours)
    ("IAOM", "012"): "Order type &1 of business scenario &2 is not defined",
    ("IAOM", "013"): "Controlling type T needs a trade promotion: fund usage &1 has none",
    ("IAOM", "014"): "Controlling type &1 of business scenario &2 is not supported",
    ("IAOM", "015"): "Business scenario &1 has no controlling scenario",
    ("IAOM", "016"): "Fund usage &1 has no items: no account assignment object created",
    ("IAOM", "017"): "Account assignment object &1 for &2 &3 exists already",
    ("CRM_FM", "105"): "Fund posting &1 was posted before: accounting document &2",
    ("CRM_FM", "106"): "Posting type &1 of fund posting &2 is not A (accrual) or R (reversal)",
    ("CRM_FM", "107"): "Reversal fund posting &1 names no fund posting to reverse",
    ("CRM_FM", "108"): "Fund posting ID &1 does not fit the reference field (&2 characters)",
    ("CRM_FM", "109"): "Fund posting without ID: no accounting document posted",
    # Customer/vendor master from DEBMAS/CREMAS IDocs (ours; &1 Customer or Vendor)
    ("F2", "901"): "&1 &2 has been created",
    ("F2", "902"): "&1 &2 has been changed",
    ("F2", "903"): "&1 &2 has been flagged for deletion",
    ("F2", "904"): "&1 &2 does not exist",
    ("F2", "905"): "Account group &1 is not defined",
    ("F2", "906"): "Required field &1 of segment &2 is missing",
    ("F2", "907"): "Account group &1 numbers internally: number &2 cannot be taken over",
    ("F2", "908"): "Account group &1 has external number assignment: the number must be given",
    ("F2", "909"): "Number &1 is not in the external interval &2 of account group &3",
    ("F2", "910"): "Function &1 (MSGFN) of segment &2 is not supported",
    ("F2", "911"): "Enter a reconciliation account for company code &1 (&2 master)",
    ("F2", "912"): "Reconciliation account &1 is not a balance sheet account of company code &2",
    ("F2", "913"): "Sales area &1 &2 &3 is not defined",
    ("F2", "914"): "Purchasing organization &1 is not defined",
    ("F2", "915"): "Currency &1 is not defined",
    ("F2", "916"): "The IDoc has no segment &1",
    ("F2", "917"): "Segment or IDoc type &1 is not defined for message type &2",
    ("F2", "918"): "&1 &2 is not defined in &3 &4",
    ("F2", "919"): "&1 &2: &3 &4 exists already",
    ("F2", "920"): "Segment &1 for &2 appears more than once in the IDoc",
    ("F2", "921"): "Fill either &1 or &2, not both",
    ("F2", "922"): "Field &1 of parameter &2 is not kept by this system and cannot change",
    # Inventory management: M7 021 per public error texts, the others ours
    ("M7", "021"): "Deficit of &1 &2 &3 : &4",
    ("M7", "901"): "Material &1 does not exist",
    ("M7", "902"): "Plant &1 is not defined",
    ("M7", "903"): "Material &1 is not maintained in plant &2",
    ("M7", "904"): "Storage location &1 is not defined in plant &2",
    ("M7", "905"): "Movement type &1 is not defined",
    ("M7", "906"): "Movement type &1 cannot be posted with GM_CODE &2",
    ("M7", "907"): "GM_CODE &1 is not defined",
    ("M7", "908"): "Required field &1 is missing in item &2",
    ("M7", "909"): "Enter a quantity greater than zero in item &1",
    ("M7", "910"): "Unit &1 cannot be converted into base unit &2 of material &3",
    ("M7", "911"): "Quantity &1 has more decimal places than unit &2 allows",
    ("M7", "912"): "No items transferred",
    ("M7", "913"): "Field &1 of parameter &2 is not supported by this system",
    ("M7", "914"): "Receiving storage location &1 is the issuing one in item &2",
}


def text(msg_class: str, number: str, *variables: Any) -> str:
    template = T100.get((msg_class, number), f"{msg_class} {number} &1 &2 &3 &4")
    values = [str(v) for v in variables] + [""] * 4
    for i in range(4, 0, -1):
        template = template.replace(f"&{i}", values[i - 1])
    for value in values:
        if "&" not in template:
            break
        template = template.replace("&", value, 1)
    return " ".join(template.split())


def bapiret2(msg_type: str, msg_class: str, number: str, *variables: Any, parameter: str = "",
             row: int = 0, field: str = "", system: str = "") -> dict[str, Any]:
    """One RETURN row, message text filled in from the catalogue."""
    v = [str(x) for x in variables] + [""] * 4
    return {
        "TYPE": msg_type, "ID": msg_class, "NUMBER": number,
        "MESSAGE": text(msg_class, number, *variables)[:220],
        "LOG_NO": "", "LOG_MSG_NO": "000000",
        "MESSAGE_V1": v[0][:50], "MESSAGE_V2": v[1][:50], "MESSAGE_V3": v[2][:50],
        "MESSAGE_V4": v[3][:50], "PARAMETER": parameter, "ROW": row, "FIELD": field,
        "SYSTEM": system,
    }
