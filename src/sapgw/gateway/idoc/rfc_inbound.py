"""IDOC_INBOUND_ASYNCHRONOUS, served by the gateway (JSON RFC, SOAP, pyrfc rfc-server).

How an SAP system or pyrfc (examples/clientIDoc.py, reference/wire.md §1.8) sends IDocs: a
tRFC (or qRFC) unit calling this function with tables IDOC_CONTROL_REC_40 (EDI_DC40) and
IDOC_DATA_REC_40 (EDI_DD40). The rows are read by the flat-record parser; the IDocs are
stored with status 50 in the same transaction that records the unit's TID, so a second
delivery of the TID stores nothing. Then they are processed as if they came over HTTP; a
processing failure is the IDoc's status (51, 56), never the unit's.

Every field is typed CHAR at its EDI_DC40/EDI_DD40 width (ours: SAP's NUMC fields such as
DOCNUM would refuse a value we can still store with status 56).
"""

from __future__ import annotations

from typing import Any

from sapgw.gateway.idoc.flat_format import parse_records
from sapgw.gateway.idoc.model import IdocFormatError
from sapgw.gateway.rfc.served import GatewayCall, gateway_function
from sapgw.idoc_schemas import record_layout
from sapgw.rfc.ddic import CHAR, structure
from sapgw.rfc.errors import invalid_parameter
from sapgw.rfc.interface import interface, tables

EDI_DC40 = structure("EDI_DC40", *((f.name, CHAR(f.length)) for f in record_layout("EDI_DC40")))
EDI_DD40 = structure("EDI_DD40", *((f.name, CHAR(f.length)) for f in record_layout("EDI_DD40")))


@gateway_function(interface("IDOC_INBOUND_ASYNCHRONOUS", [
    tables("IDOC_CONTROL_REC_40", EDI_DC40, text="Control record (IDoc)"),
    tables("IDOC_DATA_REC_40", EDI_DD40, text="Data record (IDoc)"),
], text="Inbound IDocs (tRFC): store, then process"))
def idoc_inbound_asynchronous(call: GatewayCall, params: dict[str, Any]) -> dict[str, Any]:
    service = call.gateway.idocs
    try:
        idocs = parse_records(params["IDOC_CONTROL_REC_40"], params["IDOC_DATA_REC_40"],
                              "IDOC_INBOUND_ASYNCHRONOUS")
    except IdocFormatError as error:
        raise invalid_parameter(str(error)) from None
    with service.db.write() as conn:
        received = service.inbound.store_received(conn, idocs)
        call.record_tid(conn)
    service.inbound.process(received)  # stored and the TID recorded: failures are statuses
    return {}
