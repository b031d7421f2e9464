"""Message texts of CATS (T100). Class LR is the class SAP's time sheet sends its messages
in (UNSURE: not confirmed by a public source); every number here is ours
(docs/ERP_STUB.md, "CATS")."""

MESSAGES: dict[str, dict[str, str]] = {
    "LR": {
        # BAPI_CATIMESHEETMGR_INSERT: checks of a record (PARAMETER CATSRECORDS_IN, ROW, FIELD)
        "901": "Personnel number &1 has no organisational assignment (PA0001) on &2",
        "902": "Data entry profile &1 does not exist",
        "903": "Required field &1 is empty",
        "904": "Hours &1 must be greater than zero",
        "905": "Order &1 does not exist",
        "906": "Order &1 is not released: no actual postings allowed",
        "907": "Cost center &1 does not exist in controlling area &2 on &3",
        "908": "Activity type &1 does not exist in controlling area &2 on &3",
        "909": "No planned price for cost center &1, activity type &2 in &3 period &4",
        "910": "Posting period &1 &2 is not open in company code &3",
        "911": "The record names more than one receiver: &1",
        "912": "The record names no receiver (REC_ORDER, REC_CCTR or PROFIT_SEGM_NO)",
        "913": "Receiver &1 (&2) is not supported by this system",
        "914": "Unit &1 differs from unit &2 of activity type &3",
        "915": "Order &1 belongs to controlling area &2, not &3",
        "918": "No time sheet records were passed in CATSRECORDS_IN",
        "919": "Controlling area &1 does not exist",
        "920": "Sender and receiver are the same cost center &1",
        "921": "No data entry profile given and none is marked as the default",
        # CATS_APPROVE_RECORDS (ours; RCATS_APPROVE_ACTIVITIES-like)
        "930": "Time sheet record &1 does not exist",
        "931": "Record &1 has status &2: only released records (20) can be decided",
        "932": "&1 records approved (CATS document &2)",
        "933": "&1 records rejected",
        "934": "Decision &1 is not valid: A approve, R reject",
        # CATS_TRANSFER_TO_CO (ours; CAT7, report RCATSTCO)
        "940": "Record &1 transferred: CO document &2, &3 &4",
        "941": "Record &1 was not transferred to CO:",
        "942": "CAT7: &1 records transferred, &2 not transferred",
        "943": "CAT7: no approved records wait for the transfer to CO",
        "944": "Record &1 was transferred by another run meanwhile: not posted twice",
        "945": "Test run: record &1 can be transferred, &2 &3",
        "946": "CAT7 runs as a report: call it synchronously, not in a tRFC unit",
    },
}
