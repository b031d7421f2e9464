"""sapgw: an emulator of the SAP CRM Middleware and the ERP behind it."""

__version__ = "0.1.0"
