"""Basis functions every SAP system offers: ping, connection test, metadata, commit, table read."""
