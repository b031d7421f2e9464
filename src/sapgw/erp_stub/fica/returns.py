"""RETURN rows of one FI-CA call: every problem, each with its parameter, row and field
(BAPIRET2), so a caller corrects all of them at once; nothing is saved while there is one."""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.numbers import NumberRangeError


class Problems:
    def __init__(self, ctx: CallContext) -> None:
        self.system = ctx.logical_system
        self.rows: list[dict[str, Any]] = []

    def error(self, msg_class: str, number: str, *variables: Any, parameter: str = "",
              row: int = 0, field: str = "") -> None:
        self.rows.append(bapiret2("E", msg_class, number, *variables, parameter=parameter,
                                  row=row, field=field, system=self.system))

    def required(self, field: str, parameter: str, row: int = 0) -> None:
        self.error("FKK_CI", "005", field, parameter, parameter=parameter, row=row,
                   field=field)

    def number_range(self, error: NumberRangeError, parameter: str = "") -> None:
        """NR 751/752 of a failed draw, as the number range answered it."""
        self.error(error.msg_class or "NR", error.msg_number or "752", error.msg_v1,
                   error.msg_v2, error.msg_v3, parameter=parameter)

    def refused(self, number: str, msg_class: str = "FKK_CI") -> bool:
        """Whether an error of this message was answered."""
        return any(row["ID"] == msg_class and row["NUMBER"] == number for row in self.rows)

    def success(self, msg_class: str, number: str, *variables: Any) -> dict[str, Any]:
        return bapiret2("S", msg_class, number, *variables, system=self.system)

    def __bool__(self) -> bool:
        return bool(self.rows)
