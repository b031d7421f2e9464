"""The data set: customizing and demo rows as authored in TOML files, merged.

Every application declares its data files (`Application.data`); the files of an override
directory (`[erp] customizing = DIR`) are merged over them, table by table. Each application's
seed writes its part into its SAP tables (T001, CSKS, …), where the applications read it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Customizing:
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, files: Iterable[Path] = (), override_dir: Path | None = None) -> Customizing:
        """The applications' data files in order, then the override directory's files."""
        data: dict[str, Any] = {}
        overrides = sorted(Path(override_dir).glob("*.toml")) if override_dir is not None else []
        for path in [*files, *overrides]:
            merge(data, tomllib.loads(Path(path).read_text(encoding="utf-8")))
        return cls(data)

    def table(self, name: str) -> dict[str, Any]:
        return self.data.get(name, {})

    def entry(self, table: str, key: str) -> dict[str, Any] | None:
        return self.data.get(table, {}).get(key)

    def company_code(self, bukrs: str) -> dict[str, Any] | None:
        return self.entry("company_codes", bukrs)

    def gl_account(self, account: str, bukrs: str | None = None) -> dict[str, Any] | None:
        """The account if it exists (and, with bukrs, is created in that company code)."""
        entry = self.entry("gl_accounts", account)
        if entry is None or (bukrs is not None and bukrs not in entry.get("company_codes", ())):
            return None
        return entry

    def posting_period_open(self, bukrs: str, year: int, period: int, today_year: int) -> bool:
        company = self.company_code(bukrs)
        if company is None:
            return False
        variant = self.entry("posting_period_variants", company["posting_period_variant"]) or {}
        low = _year(variant.get("open_from", "current"), today_year)
        high = _year(variant.get("open_to", "next"), today_year)
        if f"{year:04d}/{period:02d}" in variant.get("closed", []):
            return False
        return low <= year <= high

    def close_period(self, bukrs: str, year: int, period: int) -> None:
        company = self.company_code(bukrs)
        if company is None:
            raise KeyError(bukrs)
        variant = self.data["posting_period_variants"][company["posting_period_variant"]]
        variant.setdefault("closed", []).append(f"{year:04d}/{period:02d}")

    def accrual_accounts(self, expense_type: str, sales_org: str) -> dict[str, Any] | None:
        for rule in self.data.get("accrual_accounts", []):
            if rule["expense_type"] == expense_type and rule["sales_org"] in ("*", sales_org):
                return rule
        return None


def _year(value: Any, today_year: int) -> int:
    relative = {"previous": -1, "current": 0, "next": 1}
    if isinstance(value, str) and value in relative:
        return today_year + relative[value]
    return int(value)


def merge(base: dict[str, Any], override: dict[str, Any]) -> None:
    """Merge override into base: tables merge entry by entry, lists and values replace."""
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = value
