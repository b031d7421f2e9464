"""The one exception CO-PA raises to its callers, carrying SAP's message terms.

`post`, `post_by_cost_element` and `segment` check before they register anything, so a
`CopaError` leaves the caller's LUW as it was; the caller turns it into a BAPIRET2 row
(`error.bapiret2(...)`) and decides whether its own document fails with it.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.messages import bapiret2, text


class CopaError(Exception):
    """A CO-PA posting refused: message class KE, number, variables, the field at fault."""

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
