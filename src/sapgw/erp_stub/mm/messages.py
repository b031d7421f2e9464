"""Message texts of this application (T100; docs/MESSAGES.md marks the numbers that are ours).

M7 inventory management: M7 021 per public error texts, the others ours.
M8 147 account determination (number and wording from public error reports).
"""

MESSAGES: dict[str, dict[str, str]] = {
    "M7": {
        "021": "Deficit of &1 &2 &3 : &4",
        "901": "Material &1 does not exist",
        "902": "Plant &1 is not defined",
        "903": "Material &1 is not maintained in plant &2",
        "904": "Storage location &1 is not defined in plant &2",
        "905": "Movement type &1 is not defined",
        "906": "Movement type &1 cannot be posted with GM_CODE &2",
        "907": "GM_CODE &1 is not defined",
        "908": "Required field &1 is missing in item &2",
        "909": "Enter a quantity greater than zero in item &1",
        "910": "Unit &1 cannot be converted into base unit &2 of material &3",
        "911": "Quantity &1 has more decimal places than unit &2 allows",
        "912": "No items transferred",
        "913": "Field &1 of parameter &2 is not supported by this system",
        "914": "Receiving storage location &1 is the issuing one in item &2",
        "915": "Posting date from &1 is after posting date to &2",
        "916": "No material documents found",
        "917": "Item &1: enter one account assignment, not &2",
    },
    "M8": {
        "147": "Account determination for entry &1 &2 &3 &4 not possible",
    },
}
