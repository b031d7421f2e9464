"""The data set: customizing and demo rows as authored in TOML files, merged.

Every application declares its data files (`Application.data`); the files of an override
directory (`[erp] customizing = DIR`) are merged over them, table by table. Each application's
seed writes its part into its SAP tables (T001, CSKS, …), where the applications read it:
nothing reads the data set at run time.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class DataSet:
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, files: Iterable[Path] = (), override_dir: Path | None = None) -> DataSet:
        """The applications' data files in order, then the override directory's files."""
        data: dict[str, Any] = {}
        overrides = sorted(Path(override_dir).glob("*.toml")) if override_dir is not None else []
        for path in [*files, *overrides]:
            merge(data, tomllib.loads(Path(path).read_text(encoding="utf-8")))
        return cls(data)

    def table(self, name: str) -> dict[str, Any]:
        """A section of the data set (`[company_codes.1000]` … as {"1000": {...}})."""
        return self.data.get(name, {})

    def entry(self, table: str, key: str) -> dict[str, Any] | None:
        return self.data.get(table, {}).get(key)


def merge(base: dict[str, Any], override: dict[str, Any]) -> None:
    """Merge override into base: tables merge entry by entry, lists and values replace."""
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = value
