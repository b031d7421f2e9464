"""IAOM functions: IAOM_ASSIGNMENT_GET, the RFC face of transaction IAOMC.

IAOMC shows which CO object (internal order, WBS element) stands behind a business
scenario's key, e.g. CRMFM / 00000000000000001791/10 for a fund usage item.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.iaom.assignments import assignment
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import CHAR, DATS, structure
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("IAOM")

IAOMS_ASSIGNMENT = structure(
    "IAOMS_ASSIGNMENT",
    ("BUS_SCENARIO_ID", CHAR(16), "Business scenario"),
    ("EXT_OBJECT_ID", CHAR(34), "Business key"),
    ("OBJECT_NO", CHAR(22), "CO object number"),
    ("CONTROLLING_TYPE", CHAR(1), "Controlling type"),
    ("PROFIT_CENTRE", CHAR(10), "Profit center"),
    ("OBJECT_NO_SET", CHAR(22), "Allocation object"),
    ("OBJECT_NO_REC", CHAR(22), "Settlement receiver"),
    ("ERDAT", DATS, "Created on"),
    ("AUFNR", CHAR(12), "Internal order (for OR objects)"),
    ("POSID", CHAR(24), "WBS element (for PR objects)"),
)


@group.function(interface("IAOM_ASSIGNMENT_GET", [
    importing("BUS_SCENARIO_ID", CHAR(16), optional=False, text="Business scenario"),
    importing("EXT_OBJECT_ID", CHAR(34), optional=False, text="Business key"),
    exporting("ES_ASSIGNMENT", IAOMS_ASSIGNMENT, "Assignment with its CO object"),
    tables("RETURN", BAPIRET2),
], text="Account assignment object of a business key (IAOMC)"))
def iaom_assignment_get(ctx: CallContext, BUS_SCENARIO_ID: str, EXT_OBJECT_ID: str,
                        RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    found = assignment(ctx, BUS_SCENARIO_ID, EXT_OBJECT_ID)
    if found is None:
        RETURN.append(bapiret2("E", "IAOM", "010", BUS_SCENARIO_ID, EXT_OBJECT_ID,
                               parameter="EXT_OBJECT_ID"))
        return {"RETURN": RETURN}
    return {"ES_ASSIGNMENT": {f.name: found.get(f.name) for f in IAOMS_ASSIGNMENT.fields},
            "RETURN": RETURN}
