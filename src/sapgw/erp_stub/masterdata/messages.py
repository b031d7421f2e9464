"""Message texts of this application (T100; docs/MESSAGES.md marks the numbers that are ours).

F2 customer/vendor master (F2 9xx ours; &1 Customer or Vendor).
CRS the CRM plug-in's load extractor (CRS_FIRST_DOWNLOAD_TRIGGER; class and numbers ours).
"""

MESSAGES: dict[str, dict[str, str]] = {
    "F2": {
        "901": "&1 &2 has been created",
        "902": "&1 &2 has been changed",
        "903": "&1 &2 has been flagged for deletion",
        "904": "&1 &2 does not exist",
        "905": "Account group &1 is not defined",
        "906": "Required field &1 of segment &2 is missing",
        "907": "Account group &1 numbers internally: number &2 cannot be taken over",
        "908": "Account group &1 has external number assignment: the number must be given",
        "909": "Number &1 is not in the external interval &2 of account group &3",
        "910": "Function &1 (MSGFN) of segment &2 is not supported",
        "911": "Enter a reconciliation account for company code &1 (&2 master)",
        "912": "Reconciliation account &1 is no balance sheet account in company code &2",
        "913": "Sales area &1 &2 &3 is not defined",
        "914": "Purchasing organization &1 is not defined",
        "915": "Currency &1 is not defined",
        "916": "The IDoc has no segment &1",
        "917": "Segment or IDoc type &1 is not defined for message type &2",
        "918": "&1 &2 is not defined in &3 &4",
        "919": "&1 &2: &3 &4 exists already",
        "920": "Segment &1 for &2 appears more than once in the IDoc",
        "921": "Fill either &1 or &2, not both",
        "922": "Field &1 of parameter &2 is not kept by this system and cannot change",
        "923": "Adapter object &1 cannot be uploaded here; known: &2",
        "924": "Dunning procedure &1 (company code &2) is not defined (T047A)",
        "925": "Row &1 of BAPISTRUCTURES (&2) is not a JSON object",
        "926": "BAPISTRUCTURES holds table &1 &2 times; a partner needs it exactly once",
        "927": "Table &1 cannot be uploaded with this partner; expected: &2",
        "928": "&1 &2 not changed: CRM's change of &3 is older than ERP change &4",
        "929": "Change pointer &1 of message type &2 is not open (BDCP2)",
    },
    "CRS": {
        "901": "Load object &1 has no extractor in this system; known: &2",
        "902": "Load type &1 is not defined; use I (initial load) or R (request)",
        "903": "Block size &1 is not valid; give a number of objects of 1 or more",
        "904": "No RFC destination for consumer &1 and object &2 (CRMRFCPAR)",
        "905": "Load object &1: &2 blocks with &3 objects sent",
        "906": "Filter field &1 is not a field of table &2",
        "907": "Filter sign &1 option &2 is not supported; use sign I, option EQ or BT",
        "908": "Load &1 was started for object &2 type &3 with other filters",
        "909": "Load &1: block &2 was sent by another process meanwhile",
    },
}
