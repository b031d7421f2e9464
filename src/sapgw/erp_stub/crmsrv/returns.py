"""RETURN rows of one call of the CRM Service inbound: every problem, in the order found."""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.rfc.structures import is_error


class Messages:
    def __init__(self, ctx: CallContext) -> None:
        self.ctx = ctx
        self.rows: list[dict[str, Any]] = []

    def add(self, msg_type: str, msg_class: str, number: str, *variables: Any,
            parameter: str = "", row: int = 0, field: str = "") -> None:
        self.rows.append(bapiret2(msg_type, msg_class, number, *variables, parameter=parameter,
                                  row=row, field=field, system=self.ctx.logical_system))

    def error(self, msg_class: str, number: str, *variables: Any, parameter: str = "",
              row: int = 0, field: str = "") -> None:
        self.add("E", msg_class, number, *variables, parameter=parameter, row=row, field=field)

    def extend(self, rows: list[dict[str, Any]], row: int = 0) -> None:
        """Messages of a BAPI called for one item, named by that item's row."""
        self.rows.extend({**r, "ROW": row or r.get("ROW", 0)} for r in rows)

    @property
    def failed(self) -> bool:
        return any(is_error(row) for row in self.rows)
