"""The pytest plugin: a `sapgw` fixture with an in-memory gateway and ERP stub."""
