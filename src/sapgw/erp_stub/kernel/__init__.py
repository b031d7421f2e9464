"""The ERP kernel: what every application of the stub runs on."""
