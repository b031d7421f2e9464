"""The exception settlement raises to its api callers, in SAP's message terms (class KD)."""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.messages import bapiret2, text


class SettlementError(Exception):
    """A settlement rule or run refused: message class, number, variables, field at fault."""

    def __init__(self, msg_class: str, number: str, *variables: Any, field: str = "") -> None:
        self.msg_class = msg_class
        self.number = number
        self.variables = tuple(str(v) for v in variables)
        self.field = field
        super().__init__(text(msg_class, number, *self.variables))

    def bapiret2(self, *, system: str = "", parameter: str = "", row: int = 0
                 ) -> dict[str, Any]:
        return bapiret2("E", self.msg_class, self.number, *self.variables,
                        parameter=parameter, row=row, field=self.field, system=system)
