"""Adapter objects (R3AC1) and their mapping modules: mBDoc in, one LUW of RFC calls out."""
