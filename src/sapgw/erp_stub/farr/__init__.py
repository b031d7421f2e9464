"""Revenue Accounting and Reporting (RAR, FARR): the receiver of FI-CA's revenue accounting
items, run as a second system behind destination RAR (`sapgw.erp_stub.rar_system`)."""
