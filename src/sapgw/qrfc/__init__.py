"""qRFC queues (SMQ1/SMQ2) for every system of sapgw: statuses, the queue store, retries,
the unit sender and the monitor's queries, on tables each system declares in its own
database (the gateway's `qrfc_queue`/`qrfc_luw`, the ERP's `TRFCQSTATE`/`TRFCQOUT`).

Imports only sapgw.db, sapgw.clock, sapgw.types, sapgw.driver_insert and sapgw.rfc, so both
the gateway and the ERP stub may build on it.
"""
