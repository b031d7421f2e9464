"""Flow contexts: the chain of services a BDoc runs through (validation, replication, adapters)."""
