"""What CO's master data BAPIs share: their function groups, the RETURN collector, the checks
of a list row's controlling area, required fields and validity dates.

A *CREATEMULTIPLE BAPI checks every row of its list and reports every problem, each with its
parameter, row and field (BAPIRET2); it creates nothing unless all rows are correct, and
nothing at all with TESTRUN = 'X'. The rows are written in the caller's LUW, visible after
BAPI_TRANSACTION_COMMIT, as in SAP.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.co.master_data import controlling_area
from sapgw.erp_stub.co.master_tables import HIGHEST_DATE
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import LANGUAGE, bapiret2
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import CHAR, structure

# Our names: SAP's function groups of these BAPIs are not public.
master_group = FunctionGroup("CO_MASTER")
planning_group = FunctionGroup("CO_PLANNING")

BAPI0015_10 = structure(
    "BAPI0015_10",
    ("LANGU", CHAR(1), "Language key"), ("LANGU_ISO", CHAR(2), "Language (ISO 639)"),
)


def language(value: dict[str, Any]) -> str:
    """The LANGUAGE parameter's key (ISO 'EN' -> 'E'); texts are kept in one language."""
    return value.get("LANGU") or (value.get("LANGU_ISO") or "")[:1] or LANGUAGE


class Problems:
    """RETURN rows of one call, every problem of every row."""

    def __init__(self, ctx: CallContext, parameter: str) -> None:
        self.ctx = ctx
        self.parameter = parameter
        self.rows: list[dict[str, Any]] = []

    def error(self, msg_class: str, number: str, *variables: Any, row: int = 0,
              field: str = "", parameter: str | None = None) -> None:
        self.add("E", msg_class, number, *variables, row=row, field=field, parameter=parameter)

    def add(self, msg_type: str, msg_class: str, number: str, *variables: Any, row: int = 0,
            field: str = "", parameter: str | None = None) -> None:
        self.rows.append(bapiret2(
            msg_type, msg_class, number, *variables,
            parameter=self.parameter if parameter is None else parameter, row=row,
            field=field, system=self.ctx.logical_system))

    def required(self, field: str, row: int = 0, parameter: str | None = None) -> None:
        where = self.parameter if parameter is None else parameter
        self.error("KO", "904", field, where, row=row, field=field, parameter=where)

    @property
    def failed(self) -> bool:
        return any(row["TYPE"] in ("E", "A") for row in self.rows)


def check_area(ctx: CallContext, kokrs: str, parameter: str, problems: Problems
               ) -> Any | None:
    """The controlling area (TKA01 row) of an import parameter, or None, its problem
    reported against that parameter."""
    if not kokrs:
        problems.error("KO", "904", parameter, parameter, parameter=parameter)
        return None
    area = controlling_area(ctx, kokrs)
    if area is None:
        problems.error("KO", "905", kokrs, parameter=parameter)
    return area


def validity(item: dict[str, Any], row: int, problems: Problems,
             from_field: str = "VALID_FROM", to_field: str = "VALID_TO"
             ) -> tuple[str, str] | None:
    """(DATAB, DATBI) of a list row: valid-from is required, valid-to defaults to 99991231."""
    datab, datbi = item[from_field], item[to_field] or HIGHEST_DATE
    if not datab:
        problems.required(from_field, row)
        return None
    if datbi < datab:
        problems.error("KO", "907", datbi, datab, row=row, field=to_field)
        return None
    return datab, datbi


def test_run_or_saved(problems: Problems, testrun: str, count: int,
                      saved: list[tuple[str, str, tuple[Any, ...]]]) -> None:
    """The closing messages: the test run's, or one success row per created entry."""
    if problems.failed:
        return
    if testrun == "X":
        problems.add("S", "KO", "909", count)
        return
    for msg_class, number, variables in saved:
        problems.add("S", msg_class, number, *variables)


def texts(ctx: CallContext, model: Any, spras: str, keys: list[str], by: tuple[str, ...],
          **where: str) -> dict[Any, Any]:
    """Text rows (CSKT, CSLT, CSKU) of `keys` in the language (blank: the first found), by the
    fields `by`: the text of one validity period of a master record, or of the record."""
    if not keys:
        return {}
    table = model.__table__
    query = select(table).where(table.c[by[0]].in_(keys),
                                *(table.c[name] == value for name, value in where.items()))
    if spras:
        query = query.where(table.c.SPRAS == spras)
    with ctx.read() as conn:
        rows = conn.execute(query).all()
    found: dict[Any, Any] = {}
    for row in rows:
        key = tuple(getattr(row, name) for name in by)
        found.setdefault(key if len(by) > 1 else key[0], row)
    return found
