"""The gateway's persistence: the BDoc message store and the qRFC queue store."""
