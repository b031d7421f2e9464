"""`RfcConnection`: the one way to call a system, shaped like pyrfc's `Connection`.

Synchronous calls go through `call`; tRFC/qRFC units through `initialize_unit`,
`fill_and_submit_unit` and `confirm_unit`, with pyrfc's argument checks, so that the
gateway's queues speak to the ERP stub exactly as they would to a real system.
Implementations provide `_call`, `_submit` and `_confirm`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any

from sapgw.rfc.errors import RFCError
from sapgw.types import RfcCall, new_tid

Unit = dict[str, Any]


class RfcConnection(ABC):
    _active_unit: Unit | None = None
    closed = False

    # -- synchronous RFC -------------------------------------------------------------------
    def call(self, func_name: str, options: dict[str, Any] | None = None, **params: Any
             ) -> dict[str, Any]:
        if not isinstance(func_name, str):
            raise RFCError("Remote function module name must be unicode string, received:",
                           func_name, type(func_name))
        if self.closed:
            raise RFCError(f"Remote function module '{func_name}' invocation rejected because "
                           "the connection is closed")
        return self._call(func_name, params)

    def ping(self) -> None:
        self.call("RFC_PING")

    def get_function_description(self, func_name: str) -> dict[str, Any]:
        """pyrfc's FunctionDescription as a dict, built from RFC_GET_FUNCTION_INTERFACE."""
        rows = self.call("RFC_GET_FUNCTION_INTERFACE", FUNCNAME=func_name.upper())["PARAMS"]
        return describe_from_params(func_name.upper(), rows)

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> RfcConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- tRFC / qRFC units (pyrfc 3.x API) -------------------------------------------------
    def initialize_unit(self, background: bool = True) -> Unit:
        if not isinstance(background, bool):
            raise RFCError("Argument 'background' must be a boolean value.")
        if background:
            raise RFCError("bgRFC units are not supported by this destination; "
                           "use initialize_unit(background=False) for tRFC/qRFC")
        return {"background": False, "id": new_tid(), "queued": False}

    def fill_and_submit_unit(self, unit: Unit, calls: Iterable[tuple[str, dict[str, Any]]],
                             queue_names: list[str] | None = None,
                             attributes: dict[str, Any] | None = None) -> Unit:
        if not isinstance(unit, dict) or "id" not in unit or "background" not in unit:
            raise TypeError("Parameter 'unit' not valid. Please use initialize_unit() to "
                            "retrieve a valid unit.")
        if len(unit["id"]) != 24:
            raise TypeError(f"Length of parameter 'unit['id']' must be 24 chars, "
                            f"found {len(unit['id'])}.")
        try:
            call_list = [RfcCall(str(name), dict(params)) for name, params in calls]
        except (TypeError, ValueError):
            raise TypeError("Parameter 'calls' must contain valid call descriptions "
                            "(func_name, params dict).") from None
        if not call_list:
            raise TypeError("Parameter 'calls' must contain at least on call description "
                            "(func_name, params dict).")
        if self._active_unit is not None:
            raise RFCError("There is an active unit for this connection. "
                           "Use destroy_unit() or confirm_unit().")
        if queue_names and len(queue_names) > 1:
            raise RFCError("Argument 'queue_names' not valid. "
                           "(t/qRFC only support one queue name.)")
        if attributes:
            raise RFCError("Argument 'attributes' not valid. (t/qRFC does not support "
                           "attributes.)")
        queue = queue_names[0] if queue_names else None
        state = self._submit(unit["id"], call_list, queue)
        unit["queued"] = queue is not None
        # Not in pyrfc: EXECUTED, or QUEUED when the partner put the unit in an inbound queue.
        unit["state"] = state or "EXECUTED"
        self._active_unit = unit
        return unit

    def confirm_unit(self, unit: Unit) -> None:
        self._confirm(unit["id"])
        self._active_unit = None

    def destroy_unit(self, unit: Unit) -> None:
        self._active_unit = None

    def submit_units(self, units: list[tuple[str, list[RfcCall], str | None]]
                     ) -> tuple[int, Exception | None]:
        """Send several (tid, calls, queue) units in order, stopping at the first failure.

        Answers how many were executed (or had been before) and the failure, if any. A count
        below len(units) without a failure is a partial answer: the caller records and
        confirms those and sends the rest again (pyrfc holds one unconfirmed unit per
        connection). Not in pyrfc: a sender's batch. This default sends them one by one and
        confirms nothing; a destination that can run a batch in one transaction overrides it.
        """
        for done, (tid, calls, queue) in enumerate(units):
            try:
                self._submit(tid, calls, queue)
            except Exception as exc:  # reported to the caller with the count before it
                return done, exc
        return len(units), None

    # -- what an implementation provides ---------------------------------------------------
    @abstractmethod
    def _call(self, function: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run one function synchronously; raise pyrfc-shaped errors."""

    @abstractmethod
    def _submit(self, tid: str, calls: list[RfcCall], queue: str | None) -> str | None:
        """Execute a tRFC/qRFC unit exactly once per TID; raise on failure.

        Answer None (or "EXECUTED") when it ran or had run, "QUEUED" when the partner only
        stored it in an inbound queue to run later (the gateway's served layer does).
        """

    @abstractmethod
    def _confirm(self, tid: str) -> None:
        """Tell the partner the unit's TID may be forgotten (ARFC_DEST_CONFIRM)."""


_DIRECTIONS = {"I": "RFC_IMPORT", "E": "RFC_EXPORT", "C": "RFC_CHANGING", "T": "RFC_TABLES"}
_FIELD_TYPES = {"C": "RFCTYPE_CHAR", "N": "RFCTYPE_NUM", "D": "RFCTYPE_DATE",
                "T": "RFCTYPE_TIME", "P": "RFCTYPE_BCD", "I": "RFCTYPE_INT",
                "g": "RFCTYPE_STRING", "u": "RFCTYPE_STRUCTURE", "h": "RFCTYPE_TABLE"}


def describe_from_params(name: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Group RFC_FUNINT rows (one per parameter, then one per field) into pyrfc's shape."""
    parameters: list[dict[str, Any]] = []
    for row in rows:
        field_type = _FIELD_TYPES.get(row["EXID"], "RFCTYPE_CHAR")
        if not row["FIELDNAME"]:
            if row["PARAMCLASS"] == "T":
                field_type = "RFCTYPE_TABLE"
            parameters.append({
                "name": row["PARAMETER"], "parameter_type": field_type,
                "direction": _DIRECTIONS[row["PARAMCLASS"]], "uc_length": row["INTLENGTH"],
                "decimals": row["DECIMALS"], "default_value": row["DEFAULT"],
                "parameter_text": row["PARAMTEXT"], "optional": row["OPTIONAL"] == "X",
                "type_description": {"name": row["TABNAME"], "fields": []}
                if row["TABNAME"] else None})
        elif parameters:
            parameters[-1]["type_description"]["fields"].append({
                "name": row["FIELDNAME"], "field_type": field_type,
                "uc_length": row["INTLENGTH"], "uc_offset": row["OFFSET"],
                "decimals": row["DECIMALS"]})
    return {"name": name, "parameters": parameters}
