"""tRFC, qRFC and bgRFC units of a `Connection`, mapped onto JSON RFC units.

PyRFC's unit API (reference/wire.md §1.7) with its argument checks and messages.
`fill_and_submit_unit` checks every call as `call` does, then sends the unit to
`/sap/bc/rfc_unit` (docs/JSON_RFC.md): the server runs it once per TID, or, with a queue
name on `sapgw serve`, stores it in that inbound queue (SMQ2). `confirm_unit` posts the
confirmation, after which the server may forget the TID.

A bgRFC unit (`background=True`, a 32-character unit id) travels the same way: sapgw's units
take 24-character TIDs, so the unit's TID is the first 24 characters of its id (unit ids are
random hex, so they stay unique). A unit of type 'Q' takes one queue name (sapgw's inbound
queues; bgRFC could name several). `get_unit_state` answers from the server's answer to the
submission: `committed` when it ran, `in_process` while it waits in an inbound queue.
Unit attributes are checked as PyRFC checks them and otherwise not used.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sapgw.pyrfc._exception import RFCError
from sapgw.pyrfc._transport import Session

_ATTRIBUTE_LENGTHS = {"user": 12, "client": 3, "t_code": 20, "program": 40}
_ATTRIBUTE_INTS = ("kernel_trace", "sat_trace", "unit_history", "lock", "no_commit_check")


class UnitsMixin:
    """The unit methods of `Connection` (which provides the session and the call checks)."""

    _session: Session | None
    _active_unit: dict[str, Any] | None

    if TYPE_CHECKING:  # provided by Connection
        def _interface(self, func_name: str) -> dict[str, Any]: ...

        def fill_params(self, interface: dict[str, Any], params: dict[str, Any]
                        ) -> dict[str, Any]: ...

    def initialize_unit(self, background: Any = True) -> dict[str, Any]:
        if type(background) is not bool:
            raise RFCError("Argument 'background' must be a boolean value.")
        unit_id = uuid.uuid4().hex.upper()
        return {"background": background, "id": unit_id if background else unit_id[:24],
                "queued": False}

    def fill_and_submit_unit(self, unit: Any, calls: Any, queue_names: Any = None,
                             attributes: Any = None) -> dict[str, Any]:
        if type(unit) is not dict or "id" not in unit or "background" not in unit:
            raise TypeError("Parameter 'unit' not valid. Please use initialize_unit() to "
                            "retrieve a valid unit.")
        if not isinstance(calls, Iterable):
            raise TypeError("Parameter 'calls' must be iterable.")
        calls = list(calls)
        if not calls:
            raise TypeError("Parameter 'calls' must contain at least on call description "
                            "(func_name, params dict).")
        if not all(isinstance(c, tuple | list) and len(c) == 2 and type(c[0]) is str
                   and type(c[1]) is dict for c in calls):
            raise TypeError("Parameter 'calls' must contain valid call descriptions "
                            "(func_name, params dict).")
        background = unit["background"]
        if type(background) is not bool:
            raise RFCError("Argument 'unit' not valid. (Is unit['background'] boolean?)")
        length = 32 if background else 24
        if len(unit["id"]) != length:
            raise TypeError(f"Length of parameter 'unit['id']' must be {length} chars, found "
                            f"{len(unit['id'])}.")
        if self._active_unit is not None:
            raise RFCError("There is an active unit for this connection. Use destroy_unit() "
                           "or confirm_unit().")
        queue = _queue(background, queue_names)
        if attributes is not None:
            _check_attributes(background, attributes)
        if self._session is None:
            raise RFCError("Remote function module invocation rejected because the "
                           "connection is closed")
        checked = [[name.upper(), self.fill_params(self._interface(name), params)]
                   for name, params in calls]
        answer = self._session.submit_unit(str(unit["id"])[:24], queue, checked)
        unit["queued"] = queue is not None
        self._active_unit = {**unit, "state": answer.get("STATE", "EXECUTED")}
        return unit

    def get_unit_state(self, unit: dict[str, Any]) -> str:
        if unit.get("background") is False:
            raise RFCError("No state check possible of non-bgRFC units.")
        active = self._active_unit
        if active is None or active["id"] != unit.get("id"):
            raise RFCError("No unit handle for this connection available.")
        return "in_process" if active["state"] == "QUEUED" else "committed"

    def confirm_unit(self, unit: dict[str, Any]) -> None:
        self._end_unit(unit)
        assert self._session is not None  # _end_unit checked the active unit
        self._session.confirm_unit(str(unit["id"])[:24])
        self._active_unit = None

    def destroy_unit(self, unit: dict[str, Any]) -> None:
        self._end_unit(unit)
        self._active_unit = None

    def _end_unit(self, unit: dict[str, Any]) -> None:
        if type(unit) is not dict or type(unit.get("background")) is not bool:
            raise RFCError("Argument 'unit' not valid. (Is unit['background'] boolean?)")
        if self._active_unit is None or self._session is None:
            kind = "unit" if unit["background"] else "transaction"
            raise RFCError(f"No {kind} handle for this connection available.")


def _queue(background: bool, queue_names: Any) -> str | None:
    if queue_names is None or (isinstance(queue_names, list) and not queue_names):
        return None
    if not isinstance(queue_names, list) or not all(isinstance(q, str) for q in queue_names):
        raise RFCError("Argument 'queue_names' not valid. (A list of strings is expected.)")
    if len(queue_names) > 1:
        if not background:
            raise RFCError("Argument 'queue_names' not valid. (t/qRFC only support one queue "
                           "name.)")
        raise RFCError("Argument 'queue_names' not valid. (sapgw's inbound queues take a "
                       "bgRFC unit in one queue only.)")
    return queue_names[0]


def _check_attributes(background: bool, attributes: Any) -> None:
    if not background:
        raise RFCError("Argument 'attributes' not valid. (t/qRFC does not support "
                       "attributes.)")
    if not isinstance(attributes, dict):
        raise RFCError("Argument 'attributes' not valid. (A dictionary is expected.)")
    for key, value in attributes.items():
        if key in _ATTRIBUTE_INTS and type(value) is int:
            continue
        limit = _ATTRIBUTE_LENGTHS.get(key)
        if limit is None or not isinstance(value, str) or len(value) > limit:
            raise RFCError(f"Argument 'attributes' not valid: '{key}'")
