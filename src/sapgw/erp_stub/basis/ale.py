"""ALE inbound on the ERP side: IDocs as SAP's inbound function modules receive them.

SAP binds an inbound process code to a function module (WE42/TBD52: DEBM ->
IDOC_INPUT_DEBITOR, CRE1 -> IDOC_INPUT_CREDITOR) that takes the IDocs' control records
(EDIDC) and data records (EDIDD, segment data as fixed-width SDATA) and answers status
records (BDIDOCSTAT: 53 posted, 51 not). The stub's functions keep that interface, so a
sender forwards an IDoc unchanged. SDATA is cut with the segment layouts of
`sapgw.idoc_schemas`, which stand for the ERP's own segment definitions (WE31).

Ours: a RETURN table (BAPIRET2) beside IDOC_STATUS with the message texts, because the
caller has no T100 of its own to turn MSGID/MSGNO into a sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.idoc_schemas import idoc_type
from sapgw.rfc.ddic import CHAR, DATS, NUMC, TIMS, structure
from sapgw.rfc.interface import FunctionInterface, exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2, is_error

EDIDC = structure(
    "EDIDC",
    ("MANDT", CHAR(3), "Client"),
    ("DOCNUM", NUMC(16), "IDoc number"),
    ("DOCREL", CHAR(4), "SAP release of the IDoc"),
    ("STATUS", CHAR(2), "Status of the IDoc"),
    ("DIRECT", CHAR(1), "Direction: 1 outbound, 2 inbound"),
    ("IDOCTP", CHAR(30), "Basic type"),
    ("CIMTYP", CHAR(30), "Extension"),
    ("MESTYP", CHAR(30), "Message type"),
    ("MESCOD", CHAR(3), "Message code"),
    ("MESFCT", CHAR(3), "Message function"),
    ("SNDPOR", CHAR(10), "Sender port"),
    ("SNDPRT", CHAR(2), "Partner type of sender"),
    ("SNDPRN", CHAR(10), "Partner number of sender"),
    ("RCVPOR", CHAR(10), "Receiver port"),
    ("RCVPRT", CHAR(2), "Partner type of receiver"),
    ("RCVPRN", CHAR(10), "Partner number of receiver"),
    ("CREDAT", DATS, "Created on"),
    ("CRETIM", TIMS, "Created at"),
    ("SERIAL", CHAR(20), "Serialization"),
)

EDIDD = structure(
    "EDIDD",
    ("SEGNAM", CHAR(30), "Segment type"),
    ("MANDT", CHAR(3), "Client"),
    ("DOCNUM", NUMC(16), "IDoc number"),
    ("SEGNUM", NUMC(6), "Segment number"),
    ("PSGNUM", NUMC(6), "Number of the parent segment"),
    ("HLEVEL", NUMC(2), "Hierarchy level"),
    ("SDATA", CHAR(1000), "Application data"),
)

BDIDOCSTAT = structure(
    "BDIDOCSTAT",
    ("DOCNUM", NUMC(16), "IDoc number"),
    ("STATUS", CHAR(2), "Status of the IDoc"),
    ("MSGTY", CHAR(1), "Message type"),
    ("MSGID", CHAR(20), "Message class"),
    ("MSGNO", NUMC(3), "Message number"),
    ("MSGV1", CHAR(50), "Message variable"),
    ("MSGV2", CHAR(50), "Message variable"),
    ("MSGV3", CHAR(50), "Message variable"),
    ("MSGV4", CHAR(50), "Message variable"),
    ("SEGNUM", NUMC(6), "Segment the message refers to"),
    ("SEGFLD", CHAR(30), "Field the message refers to"),
    ("REPID", CHAR(40), "Program"),
    ("ROUTID", CHAR(30), "Function module"),
    ("UNAME", CHAR(12), "User"),
)

BDWFRETVAR = structure(
    "BDWFRETVAR",
    ("WF_PARAM", CHAR(30), "Workflow parameter (Processed_IDOCs, Error_IDOCs, Appl_Objects)"),
    ("DOC_NUMBER", CHAR(16), "IDoc or application object"),
)

WORKFLOW_OK, WORKFLOW_ERROR = "0", "99999"


def inbound_interface(name: str, text: str) -> FunctionInterface:
    """The interface every IDOC_INPUT_* function shares (SAP's, plus RETURN)."""
    return interface(name, [
        importing("INPUT_METHOD", CHAR(1), text="Blank: in background"),
        importing("MASS_PROCESSING", CHAR(1), text="X: several IDocs at once"),
        exporting("WORKFLOW_RESULT", CHAR(5), "0 processed, 99999 error"),
        exporting("APPLICATION_VARIABLE", CHAR(20), "Variable for the workflow"),
        exporting("IN_UPDATE_TASK", CHAR(1), "X: posted in the update task"),
        exporting("CALL_TRANSACTION_DONE", CHAR(1), "X: posted by call transaction"),
        tables("IDOC_CONTRL", EDIDC, optional=False, text="Control records"),
        tables("IDOC_DATA", EDIDD, optional=False, text="Data records"),
        tables("IDOC_STATUS", BDIDOCSTAT, text="Status records (out)"),
        tables("RETURN_VARIABLES", BDWFRETVAR, text="Workflow return variables (out)"),
        tables("RETURN", BAPIRET2, text="Messages with text (ours, out)"),
    ], text=text)


@dataclass
class InSegment:
    """One data record with its fields cut out of SDATA by the segment's layout."""

    segnam: str          # segment type (E1...), also when it came as a definition (E2...)
    segnum: str
    psgnum: str
    row: int             # 1-based row in IDOC_DATA, for RETURN-ROW
    fields: dict[str, str]

    def get(self, name: str) -> str:
        return self.fields.get(name, "")


class Messages:
    """BAPIRET2 rows of one IDoc; the IDoc posts only when none is an error."""

    def __init__(self, system: str) -> None:
        self.system = system
        self.rows: list[dict[str, Any]] = []
        self.segnums: list[str] = []

    def add(self, msg_type: str, msg_class: str, number: str, *variables: Any,
            segment: InSegment | None = None, field: str = "") -> None:
        self.rows.append(bapiret2(msg_type, msg_class, number, *variables,
                                  parameter="IDOC_DATA" if segment else "",
                                  row=segment.row if segment else 0, field=field,
                                  system=self.system))
        self.segnums.append(segment.segnum if segment else "000000")

    def error(self, msg_class: str, number: str, *variables: Any,
              segment: InSegment | None = None, field: str = "") -> None:
        self.add("E", msg_class, number, *variables, segment=segment, field=field)

    @property
    def failed(self) -> bool:
        return any(is_error(row) for row in self.rows)


Processor = Callable[[CallContext, list[InSegment], Messages, dict[str, Any]], None]


def cut_segments(control: dict[str, Any], data: list[tuple[int, dict[str, Any]]],
                 messages: Messages) -> list[InSegment]:
    """The IDoc's data records as fields; a record that does not fit its type is an error."""
    definition = idoc_type(control["IDOCTP"])
    if definition is None:
        messages.error("F2", "917", control["IDOCTP"] or "-", control["MESTYP"] or "-")
        return []
    segments = []
    for row, record in data:
        layout = definition.segment(record["SEGNAM"])
        if layout is None:
            messages.error("F2", "917", f"{control['IDOCTP']}/{record['SEGNAM']}",
                           control["MESTYP"] or "-")
            continue
        sdata = record["SDATA"]
        fields = {f.name: value for f in layout.fields
                  if (value := sdata[f.offset:f.offset + f.length].strip())}
        segments.append(InSegment(layout.name, record["SEGNUM"], record["PSGNUM"], row, fields))
    return segments


def pack_sdata(idoctyp: str, segnam: str, fields: dict[str, str]) -> str:
    """SDATA for a segment from its fields (what an IDoc sender writes); for tests and tools."""
    definition = idoc_type(idoctyp)
    layout = definition.segment(segnam) if definition else None
    if layout is None:
        raise KeyError(f"{idoctyp}/{segnam}")
    unknown = set(fields) - {f.name for f in layout.fields}
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    too_long = [f.name for f in layout.fields if len(fields.get(f.name, "")) > f.length]
    if too_long:
        raise ValueError(f"{segnam}: {', '.join(too_long)} longer than the layout allows")
    return "".join(fields.get(f.name, "").ljust(f.length) for f in layout.fields).rstrip()


def run_inbound(ctx: CallContext, function: str, params: dict[str, Any],
                process: Processor) -> dict[str, Any]:
    """Process each IDoc of IDOC_CONTRL on its own: its writes are registered in the LUW only
    when it has no error (the caller commits), and it gets status 53 or 51."""
    status: list[dict[str, Any]] = []
    variables: list[dict[str, Any]] = []
    returned: list[dict[str, Any]] = []
    failed_any = False
    for control in params["IDOC_CONTRL"]:
        docnum = control["DOCNUM"]
        data = [(row, record) for row, record in enumerate(params["IDOC_DATA"], start=1)
                if record["DOCNUM"] == docnum]
        messages = Messages(ctx.logical_system)
        segments = cut_segments(control, data, messages)
        if not messages.failed:
            process(ctx, segments, messages, control)
        failed = messages.failed
        failed_any = failed_any or failed
        code = "51" if failed else "53"
        status.extend(_status_row(docnum, code, row, segnum, function)
                      for row, segnum in zip(messages.rows, messages.segnums, strict=True))
        variables.append({"WF_PARAM": "Error_IDOCs" if failed else "Processed_IDOCs",
                          "DOC_NUMBER": docnum})
        returned.extend(messages.rows)
    return {"WORKFLOW_RESULT": WORKFLOW_ERROR if failed_any else WORKFLOW_OK,
            "IN_UPDATE_TASK": "X", "IDOC_CONTRL": params["IDOC_CONTRL"],
            "IDOC_DATA": params["IDOC_DATA"], "IDOC_STATUS": status,
            "RETURN_VARIABLES": variables, "RETURN": returned}


def _status_row(docnum: str, code: str, row: dict[str, Any], segnum: str, function: str
                ) -> dict[str, Any]:
    return {"DOCNUM": docnum, "STATUS": code, "MSGTY": row["TYPE"], "MSGID": row["ID"],
            "MSGNO": row["NUMBER"], "MSGV1": row["MESSAGE_V1"], "MSGV2": row["MESSAGE_V2"],
            "MSGV3": row["MESSAGE_V3"], "MSGV4": row["MESSAGE_V4"], "SEGNUM": segnum,
            "SEGFLD": row["FIELD"], "REPID": "SAPLSAPGW_ALE", "ROUTID": function,
            "UNAME": "ALEREMOTE"}
