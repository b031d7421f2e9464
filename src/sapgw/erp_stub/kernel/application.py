"""An ERP application declared in one object: what the kernel needs to know of it.

The kernel names no application. It iterates over the declarations a system is built with
(`sapgw.erp_stub.applications.APPLICATIONS`): registers their function groups, creates their
tables, loads their data files, seeds their rows and fills T100 with their message texts.
Everything one application offers another goes through its `api` module; its tables and
internals stay its own (tests/test_layering.py enforces it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from sapgw.erp_stub.kernel.buffer import table_of
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.kernel.tables import ErpTable

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem

# Message class -> number -> text with &1..&4 (SE91).
Messages = Mapping[str, Mapping[str, str]]
Seed = Callable[["ErpSystem", "DataSet"], None]


@dataclass(frozen=True)
class Application:
    """One ERP application (an SAP application component such as FI or CO).

    name         short name, also the package name (fi, co, …)
    text         what it is, as SAP calls it
    groups       its RFC-enabled function groups (SE37)
    tables       every table it owns (SE11); RFC_READ_TABLE reads them all
    customizing  the customizing tables among them (SPRO/SM30): buffered, read through the
                 table buffer, changes synchronised between processes by DDLOG
    data         its TOML data files (customizing and demo rows, the authoring format);
                 `[erp] customizing = DIR` files are merged over all applications' files
    seed         writes the rows of the data set into its tables (missing rows only, so a
                 database of an older release is upgraded and maintained rows are kept)
    messages     its message classes (T100 texts)
    api          the module other applications may call; nothing else of it is theirs
    """

    name: str
    text: str
    groups: Sequence[FunctionGroup] = ()
    tables: Sequence[type[ErpTable]] = ()
    customizing: Sequence[type[ErpTable]] = ()
    data: Sequence[Path] = ()
    seed: Seed | None = None
    messages: Messages = field(default_factory=dict)
    api: ModuleType | None = None

    def __post_init__(self) -> None:
        for table in self.tables:  # whose table it is: a system reads only its own (RFC_READ_TABLE)
            table_of(table).info["application"] = self.name
        owned = {id(table) for table in self.tables}
        stray = [t.__tablename__ for t in self.customizing if id(t) not in owned]
        if stray:
            raise ValueError(f"application {self.name}: customizing tables {', '.join(stray)} "
                             "are not among its tables")


def check_applications(applications: Sequence[Application]) -> None:
    """Refuse a system whose applications share a name, a table or a message class."""
    seen: dict[str, str] = {}
    for app in applications:
        claims = [f"application {app.name}"]
        claims += [f"table {t.__tablename__}" for t in app.tables]
        claims += [f"message class {c}" for c in app.messages]
        for claim in claims:
            if claim in seen:
                raise ValueError(f"{claim} is declared by both {seen[claim]} and {app.name}")
            seen[claim] = app.name
