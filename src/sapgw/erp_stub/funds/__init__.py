"""Funds Management integration: CRM fund usages and fund postings arriving in the ERP."""
