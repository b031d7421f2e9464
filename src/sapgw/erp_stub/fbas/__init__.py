"""FI basis (SAP's development package FBAS): company codes, fiscal year variants, posting
periods, document types and G/L accounts, which FI, CO, PS, MM and the partner master read."""
