"""Event 8205 modules an installation might configure (TFKFBC), for the tests."""

from __future__ import annotations

from typing import Any

CALLS: list[bool] = []


def enrich(IT_RAI_MI: list[dict[str, Any]], IT_RAI_CO: list[dict[str, Any]],
           IS_VT_CHANGES: list[dict[str, Any]], IX_SIMULATION: bool
           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Ends the device's obligation a month early and adds a discount condition to the
    service's main item."""
    CALLS.append(IX_SIMULATION)
    if not IS_VT_CHANGES:   # not a provider contract's order items: nothing to do
        return [], []
    device = next(row for row in IT_RAI_MI if row["SRCDOC_ID"].endswith("/000010"))
    service = next(row for row in IT_RAI_MI if row["SRCDOC_ID"].endswith("/000020"))
    return ([{**device, "END_DATE": "20271031"}],
            [{"RAI_ID": service["RAI_ID"], "CONDITION_TYPE": "CDSC", "BETRW": "-3.00"}])


def failing(**_: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    raise RuntimeError("enrichment service down")


def forbidden(IT_RAI_MI: list[dict[str, Any]], **_: Any
              ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return [{**IT_RAI_MI[0], "BETRW": "1.00"}], []


def by_type(IT_RAI_MI: list[dict[str, Any]], IT_RAI_CO: list[dict[str, Any]],
            IS_VT_CHANGES: list[dict[str, Any]], IX_SIMULATION: bool
            ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One-off order items (CABO) take effect a day later; invoice items (CAIN) get a
    discount condition; other items stay as they are."""
    CALLS.append(IX_SIMULATION)
    mi = [{**row, "EFFECTIVE_DATE": "20261216"} for row in IT_RAI_MI
          if row["SRCDOC_TYPE"] == "CABO"]
    co = [{"RAI_ID": row["RAI_ID"], "CONDITION_TYPE": "CDSC", "BETRW": "-1.00"}
          for row in IT_RAI_MI if row["SRCDOC_TYPE"] == "CAIN"]
    return mi, co


REFUSED_ACCOUNTS: set[str] = set()


def refuse_invoice(IT_RAI_MI: list[dict[str, Any]], **_: Any
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Raises on the invoice items of the contract accounts in REFUSED_ACCOUNTS."""
    for row in IT_RAI_MI:
        if row["SRCDOC_TYPE"] == "CAIN" and row["VKONT"] in REFUSED_ACCOUNTS:
            raise ConnectionError(f"tax service refused {row['VKONT']}")
    return [], []
