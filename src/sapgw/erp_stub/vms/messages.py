"""Message texts of VMS (T100). Class VELO is SAP's VMS class; all numbers here are ours
(docs/MESSAGES.md)."""

MESSAGES: dict[str, dict[str, str]] = {
    "VELO": {
        "900": "Vehicle &1 (VIN &2) created in status &3",
        "901": "Action &1 executed for vehicle &2: status &3 -> &4",
        "902": "Vehicle with VIN &1 does not exist",
        "903": "Vehicle &1 does not exist",
        "904": "Action &1 is not defined (Define Actions)",
        "905": "Action &1 is not allowed for vehicle &2 in status &3 (control &4)",
        "906": "Model &1 is not a material (MARA)",
        "907": "Customer &1 (&2) does not exist",
        "908": "A vehicle with VIN &1 exists already: &2",
        "909": "Give the vehicle's VIN or its internal number",
        "910": "VIN &1 is not valid: 17 characters A-Z, 0-9 without I, O, Q",
        "911": "Action &1 needs a CRM sales document (field &2)",
        "912": "CRM setup error: no suitable plugin for sending data to CRM (&1)",
        "913": "Vehicle &1 sent to CRM in queue &2",
        "914": "VLC_CRM_INTEGRATOR &1 sent nothing for vehicle &2",
        "915": "Action &1 is not CRM relevant: nothing sent to CRM",
        "916": "Action control &1 has no entry to create a vehicle with action &2",
        "917": "&1 is not a CRM order action (CRMS)",
        "918": "VLC_CRM_INTEGRATOR implementation &1 failed: &2",
    },
}
