"""The middleware runtime: flow, replication, queues, RFC destinations, HTTP API and CLI."""
