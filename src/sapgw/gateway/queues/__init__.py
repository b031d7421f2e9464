"""qRFC: queues of LUWs, exactly once in order (EOIO), their statuses and the schedulers."""
