"""The HTTP app: REST for BDocs and queues, JSON RFC, health."""
