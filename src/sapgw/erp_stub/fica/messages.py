"""Message texts of FI-CA (T100; docs/MESSAGES.md marks the numbers that are ours).

R11 is SAP's class of the business partner; its 9xx numbers are ours. FKK_CI is ours
(SAP's FI-CA classes, >0 … >9, have names an RFC client cannot tell from a typo), for
contract accounts, provider contracts and the revenue accounting customizing.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "R11": {
        "901": "Business partner &1 does not exist",
        "902": "Partner category &1 is not allowed (1 person, 2 organization)",
        "903": "Enter &1 for a business partner of category &2",
        "904": "Business partner &1 has been created",
        "905": "Business partner &1 already exists",
    },
    "FKK_CI": {
        "001": "Contract account &1 has been created",
        "002": "Contract account &1 does not exist",
        "003": "Contract account &1 is not assigned to business partner &2",
        "004": "Company code &1 is not defined",
        "005": "Enter a value for &1 in &2",
        "006": "Currency &1 is not defined",
        "007": "Contract account &1 already exists",
        "008": "Test run: nothing was saved",
        "010": "Provider contract &1 has been saved (version &2)",
        "011": "Provider contract &1 was not changed",
        "012": "Provider contract &1 does not exist",
        "013": "Item &1: valid from &2 is after valid to &3",
        "014": "Item &1 is given twice",
        "015": "Service type &1 is not defined (TFK_RA_SERVTYP)",
        "016": "Change reason &1 is not defined (TFK_RA_CHRSN)",
        "017": "Item &1 is relevant for revenue accounting but has no service type",
        "018": "Item &1: &2 must not be negative",
        "019": "Service type &1 of item &2 is no recurring charge (category &3)",
        "020": "Item &1: revenue accounting is not active for application area &2",
        "021": "Provider contract &1 belongs to business partner &2, not &3",
        "022": "&1 row &2 refers to item &3, which is not in &4",
        "023": "Item &1: &2 &3 differs from &4 &5",
        "024": "Item &1: no items transferred for provider contract &2",
        "025": "Timestamp &1 in &2 is no valid UTC timestamp (YYYYMMDDhhmmss)",
        "030": "Provider contract item &1 &2 does not exist",
        "031": "Provider contract item &1 &2 belongs to contract account &3, not &4",
        "032": "Date &1 lies outside the validity of contract item &2 &3 (&4)",
        "033": "Package &1 is billed as a unit: its item &2 has errors",
        "034": "Billable item &1 &2 item &3 is given twice",
        "035": "Billable item &1 &2 item &3 already exists (status &4)",
        "036": "&1 billable items saved: &2 billable, &3 raw",
        "037": "Raw billable item &1 &2 item &3 of class &4 does not exist",
        "038": "Billable item class &1 is not defined",
        "039": "&1 billable items released",
    },
}
