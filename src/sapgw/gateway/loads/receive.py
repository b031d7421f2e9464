"""A block of an initial load or request arriving at BAPI_CRM_SAVE: one BDoc per object.

The ERP sends a block as one BAPI_CRM_SAVE call whose HEADER has LOAD_TYPE I or R, LOAD_ID
and BLOCK_NO (ours), and whose container rows carry OBJKEY, the object they belong to. Each
object's rows go through the adapter object's mapping module R/3 -> CRM as a delta would
(so what validates and saves a delta, e.g. the CDB update of BUPA_MAIN, sees loaded objects
alike), and all BDocs of the block are stored with flow context MI0, the block's row for the
monitor and the unit's TID record in ONE transaction: a block counts once or not at all.

BDocs per object rather than per block: the BDoc type's key is one object, its flow queue
serialises that object with its deltas, and SMW01 finds it by the object's key; R3AM1
counts blocks, which is what SAP counts. A block whose object cannot be mapped fails as a
whole (RETURN E, SMOF 906): its unit stops the queue in SYSFAIL, as the R/3 adapter does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sapgw.adapters.scenario import MappingError
from sapgw.bdoc.message import MBDoc
from sapgw.types import new_bdoc_id, new_tid

if TYPE_CHECKING:
    from sapgw.adapters.scenario import AdapterObject
    from sapgw.gateway.rfc.served import GatewayCall
    from sapgw.gateway.runtime import Gateway

FLOW_CONTEXT = "MI0"
LOAD_TYPES = ("I", "R")


def is_load_block(header: dict[str, Any]) -> bool:
    return header.get("LOAD_TYPE", "").strip().upper() in LOAD_TYPES and bool(
        str(header.get("LOAD_ID", "")).strip())


def message(number: str, text: str, *variables: Any, msg_type: str = "E") -> dict[str, Any]:
    row = {"TYPE": msg_type, "ID": "SMOF", "NUMBER": number, "MESSAGE": text[:220]}
    for index, value in enumerate(variables[:4], 1):
        row[f"MESSAGE_V{index}"] = str(value)[:50]
    return row


def objects_of(structures: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The block's container rows grouped by OBJKEY, in the order they came."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in structures:
        grouped.setdefault(str(row.get("OBJKEY", "")).strip(), []).append(row)
    return grouped


def load_queue(load_id: int) -> str:
    """The flow queue of a load's BDocs (ours: CSA queues are CRM's inbound flow queues)."""
    return f"CSALOAD{load_id}"


def accept_block(gateway: Gateway, conn: Any, bdoc_type: str, items: list[dict[str, Any]],
                 sender: str, load_id: int) -> list[str]:
    """Store the block's BDocs (I01, MI0) as `Gateway.accept` does, with their flows in the
    load's queue, each waiting for its object's own flow queue (CSABUPA<key>) while that
    holds an older LUW: a delta that came first is validated first. One queue for the load
    lets a worker run its flows in batches instead of claiming one queue per object."""
    definition = gateway.types[bdoc_type]
    queue = load_queue(load_id)
    received, luws = [], []
    for data in items:
        bdoc = MBDoc(new_bdoc_id(), bdoc_type, sender, FLOW_CONTEXT, gateway.clock.now(), data)
        own, waits = gateway.flow.flow_queue(definition, data)
        received.append((bdoc, own.removeprefix(definition.flow_queue)))
        luws.append(gateway.queue_store.luw_row(
            queue=queue, direction="in", kind="FLOW", tid=new_tid(),
            calls=[gateway.flow.flow_call(bdoc.bdoc_id)], bdoc_id=bdoc.bdoc_id,
            wait_for=(own, *waits)))
    gateway.bdocs.insert_many(conn, received)
    gateway.queue_store.enqueue_many(conn, luws)
    return [bdoc.bdoc_id for bdoc, _ in received]


def receive_block(call: GatewayCall, params: dict[str, Any], adapter: AdapterObject,
                  site: str) -> dict[str, Any]:
    """Map every object of the block, then store BDocs, block row and TID together."""
    gateway = call.gateway
    header = params["HEADER"]
    load_id, block_no = str(header["LOAD_ID"]).strip(), int(header.get("BLOCK_NO") or 0)
    load = gateway.loads.store.get(int(load_id)) if load_id.isdigit() else None
    if load is None:
        return {"RETURN": [message("907", f"Load {load_id} does not exist in CRM (R3AM1); "
                                   f"block {block_no} cannot be assigned", load_id, block_no)]}
    grouped = objects_of(params["BAPISTRUCTURES"])
    if "" in grouped:
        return {"RETURN": [message("906", f"Load {load_id} block {block_no}: a container row "
                                   "has no OBJKEY", load_id, block_no, "OBJKEY")]}
    items = []
    for key, rows in grouped.items():
        try:
            items.append(adapter.map_from_erp({"HEADER": {**header, "OBJKEY": key},
                                               "BAPISTRUCTURES": rows}))
        except MappingError as error:
            cause = error.__cause__ or error
            return {"RETURN": [message("906", f"Load {load_id} block {block_no}, object {key}: "
                                       f"{cause}", load_id, block_no, key)]}
    with gateway.db.write() as conn:
        accepted = accept_block(gateway, conn, adapter.bdoc_type, items, site, int(load_id))
        gateway.loads.store.record_block(conn, int(load_id), block_no, accepted,
                                         gateway.clock.now())
        call.record_tid(conn)
    gateway.schedulers.wake("in")
    return {"RETURN": [message("908", f"Load {load_id} block {block_no}: {len(accepted)} "
                               f"BDocs of type {adapter.bdoc_type} received from site {site}",
                               load_id, block_no, len(accepted), msg_type="S")]}
