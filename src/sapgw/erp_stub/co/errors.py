"""The one shape of a refusal that CO's components raise to their callers: a message in SAP's
terms (class, number, variables, the field at fault) that the caller turns into a BAPIRET2 row
and that reads as the message's text.

CO-PA (`CopaError`, class KE) and settlement (`SettlementError`, class KD) raise their own
subclass, so a caller still catches only the component it called. (A base for every
application would belong to the kernel; CO is the leaf both of them already import.)
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.messages import bapiret2, text


class ControllingError(Exception):
    """A posting or rule refused: message class, number, variables, the field at fault."""

    def __init__(self, msg_class: str, number: str, *variables: Any, field: str = "") -> None:
        self.msg_class = msg_class
        self.number = number
        self.variables = tuple(str(v) for v in variables)
        self.field = field
        super().__init__(text(msg_class, number, *self.variables))

    @property
    def message(self) -> str:
        return str(self)

    def bapiret2(self, *, system: str = "", parameter: str = "", row: int = 0
                 ) -> dict[str, Any]:
        """The error as one RETURN row (type E)."""
        return bapiret2("E", self.msg_class, self.number, *self.variables,
                        parameter=parameter, row=row, field=self.field, system=system)
