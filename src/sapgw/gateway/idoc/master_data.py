"""Customers and vendors of the ERP as DEBMAS07 / CREMAS05 IDocs: the change pointer run.

SAP distributes master data by ALE through change pointers: every save of a customer or
vendor writes a change document and, for the message types DEBMAS/CREMAS, change pointers
(BDCP2); the report RBDMIDOC (BD21), scheduled or run by hand, turns the open pointers into
one IDoc per object and receiver and marks them processed. We do the same, from the
gateway, over RFC like from any SAP system: RFC_READ_TABLE on BDCP2 (open pointers of the
message type), KNA1/KNB1/KNVV or LFA1/LFB1/LFM1 for each object as it is NOW (a complete
IDoc, MSGFN 005, as BD21 sends for DEBMAS/CREMAS), then CHANGE_POINTERS_STATUS_WRITE and
BAPI_TRANSACTION_COMMIT once the IDocs are stored. Why a run and not sending at save: it is
SAP's semantics (several changes of one object between two runs make one IDoc), and the ERP
stub cannot reach the gateway's ports (arrows point downward).

Never back to the sender: a pointer carries the partner whose inbound IDoc made the change
(BDCP2-SNDPRN, ours); a partner gets no IDoc for an object all of whose open pointers came
from it. The layouts are this repository's DEBMAS07/CREMAS05 (idoc_schemas), the ones the
inbound side reads, so a sapgw partner posts what we send.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sapgw.gateway.idoc.acc_document import _literal, read_table
from sapgw.rfc.connection import RfcConnection


@dataclass(frozen=True)
class MasterObject:
    """How one message type's object is read and laid out (tables by segment)."""

    mestyp: str
    key: str                                          # KUNNR / LIFNR
    general: tuple[str, str, tuple[str, ...]]         # (table, segment, fields)
    children: tuple[tuple[str, str, tuple[str, ...]], ...]


DEBMAS = MasterObject("DEBMAS", "KUNNR", (
    "KNA1", "E1KNA1M", ("KUNNR", "ANRED", "KTOKD", "LAND1", "NAME1", "NAME2", "NAME3",
                        "NAME4", "ORT01", "PSTLZ", "REGIO", "SORTL", "SPRAS", "STRAS",
                        "STCEG", "LIFNR")), (
    ("KNVV", "E1KNVVM", ("VKORG", "VTWEG", "SPART", "WAERS", "KTGRD")),
    ("KNB1", "E1KNB1M", ("BUKRS", "SPERR", "LOEVM", "ZUAWA", "BUSAB", "AKONT", "ZTERM"))))
CREMAS = MasterObject("CREMAS", "LIFNR", (
    "LFA1", "E1LFA1M", ("LIFNR", "BRSCH", "ERDAT", "ERNAM", "KTOKK", "KUNNR", "LAND1",
                        "NAME1", "ORT01", "PSTLZ", "REGIO", "SORTL", "SPRAS", "STRAS",
                        "TELF1")), (
    ("LFB1", "E1LFB1M", ("LIFNR", "BUKRS", "ERDAT", "ERNAM", "SPERR", "LOEVM", "ZUAWA",
                         "AKONT", "ZTERM")),
    ("LFM1", "E1LFM1M", ("LIFNR", "EKORG", "WAERS", "ZTERM"))))
OBJECTS = {o.mestyp: o for o in (DEBMAS, CREMAS)}


@dataclass
class Changed:
    """One object with open change pointers: its number, pointers and their senders."""

    number: str
    pointers: list[str] = field(default_factory=list)
    origins: set[str] = field(default_factory=set)

    def came_only_from(self, partner: str) -> bool:
        return self.origins == {partner}


def open_pointers(erp: RfcConnection, mestyp: str) -> list[Changed]:
    """The objects with open change pointers of the message type, in the order changed."""
    rows = read_table(erp, "BDCP2", ("CPIDENT", "CDOBJID", "SNDPRN", "CRETIME"), [
        f"MESTYPE = {_literal(mestyp)}", "AND PROCESS = ' '"])
    objects: dict[str, Changed] = {}
    for row in sorted(rows, key=lambda r: (r["CRETIME"], r["CPIDENT"])):
        changed = objects.setdefault(row["CDOBJID"], Changed(row["CDOBJID"]))
        changed.pointers.append(row["CPIDENT"])
        changed.origins.add(row["SNDPRN"])
    return list(objects.values())


def segments(erp: RfcConnection, obj: MasterObject, number: str
             ) -> list[tuple[str, dict[str, str]]] | None:
    """The object's IDoc segments as it is stored now (None: it no longer exists)."""
    where = [f"{obj.key} = {_literal(number)}"]
    table, segment, names = obj.general
    general = read_table(erp, table, names, where)
    if not general:
        return None
    result = [(segment, {"MSGFN": "005", **general[0]})]
    for table, segment, names in obj.children:
        for row in read_table(erp, table, names, where):
            result.append((segment, {"MSGFN": "005", **row}))
    return [(name, {k: v for k, v in values.items() if v}) for name, values in result]


def mark_processed(erp: RfcConnection, mestyp: str, pointers: list[str]) -> None:
    """CHANGE_POINTERS_STATUS_WRITE + commit: the pointers will not be sent again."""
    if not pointers:
        return
    erp.call("CHANGE_POINTERS_STATUS_WRITE", MESSAGE_TYPE=mestyp,
             CHANGE_POINTERS_IDENTS=[{"CPIDENT": p} for p in pointers])
    erp.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
