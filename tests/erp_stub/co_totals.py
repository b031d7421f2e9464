"""The invariant of CO totals, for every test that posts CO documents: COSP and COSS hold
exactly the sums of the COEP line items, per totals key and period, and nothing else —
plan totals (WRTTP 01, co.plans) aside: SAP keeps plan line items in COEJ, not emulated."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.co.tables import COEP
from sapgw.erp_stub.co.totals_tables import COSP, COSS, PERIODS
from tests.erp_stub.test_fi_post import rows

Sums = dict[tuple[Any, ...], Decimal]


def expected_from_line_items(erp: ErpSystem) -> tuple[Sums, Sums]:
    """(COSP, COSS) as the line items say they must be: {(key…, field): value}."""
    cosp: Sums = defaultdict(Decimal)
    coss: Sums = defaultdict(Decimal)
    for line in rows(erp, COEP):
        key = (line["OBJNR"], line["GJAHR"], line["WRTTP"], line["KSTAR"], line["VRGNG"],
               line["BEKNZ"], line["TWAER"])
        period = int(line["PERIO"])
        target, key = (coss, (*key, line["PAROB"], line["USPOB"])) if line["PAROB"] else (
            cosp, key)
        for prefix, field in (("WKG", "WKGBTR"), ("WTG", "WTGBTR"), ("WOG", "WOGBTR"),
                              ("MEG", "MEGBTR")):
            target[(*key, f"{prefix}{period:03d}")] += line[field]
    return _nonzero(cosp), _nonzero(coss)


def stored_totals(erp: ErpSystem) -> tuple[Sums, Sums]:
    """(COSP, COSS) as stored, in the same shape."""
    result: list[Sums] = []
    for model in (COSP, COSS):
        sums: Sums = defaultdict(Decimal)
        for row in rows(erp, model):
            if row["WRTTP"] == "01":
                continue
            assert (row["LEDNR"], row["VERSN"], row["PERBL"]) == ("00", "000", "016")
            key = (row["OBJNR"], row["GJAHR"], row["WRTTP"], row["KSTAR"], row["VRGNG"],
                   row["BEKNZ"], row["TWAER"])
            if model is COSS:
                key = (*key, row["PAROB"], row["USPOB"])
            for prefix in ("WKG", "WTG", "WOG", "MEG"):
                for period in PERIODS:
                    sums[(*key, f"{prefix}{period:03d}")] += row[f"{prefix}{period:03d}"]
        result.append(_nonzero(sums))
    return result[0], result[1]


def assert_totals_equal_line_items(erp: ErpSystem) -> None:
    assert stored_totals(erp) == expected_from_line_items(erp)


def _nonzero(sums: Sums) -> Sums:
    return {key: value for key, value in sums.items() if value}
