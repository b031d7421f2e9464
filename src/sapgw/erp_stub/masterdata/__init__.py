"""Business partner master data: customers (SD/FI-AR) and vendors (MM/FI-AP)."""
