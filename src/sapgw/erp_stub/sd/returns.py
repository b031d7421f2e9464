"""RETURN rows of one SD call: every problem, each with its parameter, row and field."""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.messages import bapiret2


class Messages:
    """Error rows in the order found; `unsupported` refuses a filled field this system cannot
    honour (V1 913 / VF 913), naming field and parameter."""

    def __init__(self, system: str, unsupported_class: str) -> None:
        self.system = system
        self.unsupported_class = unsupported_class
        self.rows: list[dict[str, Any]] = []

    def error(self, msg_class: str, number: str, *variables: Any, parameter: str,
              row: int = 0, field: str = "") -> None:
        self.rows.append(bapiret2("E", msg_class, number, *variables, parameter=parameter,
                                  row=row, field=field, system=self.system))

    def unsupported(self, values: dict[str, Any], fields: tuple[str, ...], parameter: str,
                    row: int = 0) -> None:
        for name in fields:
            if values.get(name) not in (None, "", 0) and str(values[name]).strip("0"):
                self.error(self.unsupported_class, "913", name, parameter, parameter=parameter,
                           row=row, field=name)

    def success(self, msg_class: str, number: str, *variables: Any, parameter: str = ""
                ) -> dict[str, Any]:
        return bapiret2("S", msg_class, number, *variables, parameter=parameter,
                        system=self.system)

    def __bool__(self) -> bool:
        return bool(self.rows)
