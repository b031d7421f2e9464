"""SD: sales documents (VBAK/VBAP) and order-related billing (VBRK/VBRP) with the FI and CO
follow-up; docs/ERP_STUB.md, "SD"."""
