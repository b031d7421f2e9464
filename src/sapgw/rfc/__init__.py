"""The RFC protocol both sides speak: pyrfc-shaped errors, DDIC types, function interfaces.

It sits below the gateway and the ERP stub alike, because the stub serves the very interfaces
the gateway calls (see docs/ARCHITECTURE.md).
"""
