"""CRM scenarios: their BDoc types, adapter objects (R3AC1), mapping modules and ERP links."""
