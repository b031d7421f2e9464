"""The RETURN collector of the CATS functions: every problem of every record at once, each a
BAPIRET2 row with its parameter, row and field (SAP's BAPIs answer this way)."""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2


class Messages:
    """RETURN rows of one call."""

    def __init__(self, ctx: CallContext, parameter: str = "") -> None:
        self.ctx = ctx
        self.parameter = parameter
        self.rows: list[dict[str, Any]] = []

    def add(self, msg_type: str, msg_class: str, number: str, *variables: Any, row: int = 0,
            field: str = "", parameter: str | None = None) -> None:
        self.rows.append(bapiret2(
            msg_type, msg_class, number, *variables,
            parameter=self.parameter if parameter is None else parameter, row=row,
            field=field, system=self.ctx.logical_system))

    def error(self, msg_class: str, number: str, *variables: Any, row: int = 0,
              field: str = "", parameter: str | None = None) -> None:
        self.add("E", msg_class, number, *variables, row=row, field=field, parameter=parameter)

    def extend(self, rows: list[dict[str, Any]]) -> None:
        """Rows another function answered (e.g. CO's RETURN), passed on as they are."""
        self.rows.extend(rows)

    @property
    def failed(self) -> bool:
        return any(row["TYPE"] in ("E", "A") for row in self.rows)
