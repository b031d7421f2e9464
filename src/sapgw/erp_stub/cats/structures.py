"""The CATS functions' DDIC structures: BAPICATS1 (a record in), BAPICATS2 (a record out,
with its COUNTER and status), and our structures of the approval and the CO transfer.

BAPICATS1/2 hold the fields public client code sets (reference/controlling.md §3.4); SAP's
structures have many more (network, service entry, travel …), which this system does not
post and so does not declare. QUAN fields are zero when unused, as SAP wants them.
"""

from __future__ import annotations

from sapgw.rfc.ddic import CHAR, DATS, NUMC, Elementary, structure

QUAN_HOURS = Elementary("QUAN", 4, 2)

_RECORD = (
    ("WORKDATE", DATS, "Date of work"),
    ("EMPLOYEENUMBER", NUMC(8), "Personnel number"),
    ("ABS_ATT_TYPE", CHAR(4), "Attendance or absence type"),
    ("CATSHOURS", QUAN_HOURS, "Hours"),
    ("UNIT", CHAR(3), "Unit (blank: the activity type's)"),
    ("CO_AREA", CHAR(4), "Controlling area (blank: the employee's)"),
    ("SEND_CCTR", CHAR(10), "Sender cost center (blank: the employee's, PA0001)"),
    ("ACTTYPE", CHAR(6), "Activity type"),
    ("REC_ORDER", CHAR(12), "Receiver order"),
    ("REC_CCTR", CHAR(10), "Receiver cost center"),
    ("PROFIT_SEGM_NO", NUMC(10), "Receiver profitability segment (CATSDB-PAOBJNR)"),
    ("WBS_ELEMENT", CHAR(24), "Receiver WBS element (not supported)"),
    ("NETWORK", CHAR(12), "Receiver network (not supported)"),
    ("SALES_ORD", CHAR(10), "Receiver sales order (not supported)"),
    ("SHORTTEXT", CHAR(40), "Short text"),
    ("EXTSYSTEM", CHAR(10), "Logical system of the sender"),
    ("EXTAPPLICATION", CHAR(5), "Sending application"),
    ("EXTDOCUMENTNO", CHAR(20), "Document of the sender"),
)

BAPICATS1 = structure("BAPICATS1", *_RECORD)

BAPICATS2 = structure(
    "BAPICATS2",
    ("ROW", NUMC(6), "Row of CATSRECORDS_IN"),
    ("COUNTER", CHAR(12), "Time sheet record"),
    *_RECORD,
    ("STATUS", CHAR(2), "Processing status"),
    ("BELNR", CHAR(10), "CATS document (status 30)"),
)

# CATS_APPROVE_RECORDS (ours): the records to decide on.
CATS_COUNTER = structure("CATS_COUNTER", ("COUNTER", CHAR(12), "Time sheet record"))

# CATS_TRANSFER_TO_CO (ours): one line per record the run looked at.
CATS_TRANSFER_RESULT = structure(
    "CATS_TRANSFER_RESULT",
    ("COUNTER", CHAR(12), "Time sheet record"),
    ("PERNR", NUMC(8), "Personnel number"),
    ("WORKDATE", DATS, "Date of work (the posting date)"),
    ("CATSHOURS", QUAN_HOURS, "Hours"),
    ("MEINH", CHAR(3), "Unit"),
    ("SKOSTL", CHAR(10), "Sender cost center"),
    ("LSTAR", CHAR(6), "Activity type"),
    ("RAUFNR", CHAR(12), "Receiver order"),
    ("RKOSTL", CHAR(10), "Receiver cost center"),
    ("PAOBJNR", NUMC(10), "Receiver profitability segment"),
    ("TYPE", CHAR(1), "S posted (or would post), E not transferred, W skipped"),
    ("CO_BELNR", CHAR(10), "CO document of the activity allocation"),
    ("MESSAGE", CHAR(220), "What happened"),
)
