"""ERP rows and amounts by SAP table and field, read with RFC_READ_TABLE as any client would.

    - table: BSEG
      where: "BELNR = '${doc.BELNR}' AND GJAHR = '2026'"
      rows:                       # exactly these rows (any order), compared on these fields
        - {SHKZG: S, HKONT: "0000477000", WRBTR: "250.00"}
        - {SHKZG: H, HKONT: "0000196000", WRBTR: "250.00"}
      sum: {WRBTR: "500.00"}      # Decimal sum over the selected rows
      count: 2

`contains` instead of `rows` asks for at least those rows. How a value compares follows the
ABAP type RFC_READ_TABLE answers in FIELDS-TYPE: packed, integer and float fields (P, I, F, b,
s, 8, a, e) as Decimal, so `250` equals `250.00` and `250.00-` is minus 250; NUMC (N) as a
number when the file gives a number; dates (D) as YYYYMMDD, also from `2026-11-22`; flags from
true/false as X/space; everything else as the text, after trimming (quote keys with leading
zeros in YAML: `"0000477000"`, unquoted it is the number 477000).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sapgw.gateway.scenario_files.results import Check

TABLE_KEYS = {"table", "where", "fields", "rows", "contains", "count", "sum", "as"}
NUMERIC = set("PIFbs8ae")


def table_problems(spec: Any, where: str) -> list[str]:
    if not isinstance(spec, dict):
        return [f"{where}: must be a mapping with `table` and what to check"]
    problems = [f"{where}: unknown field `{k}` (known: {', '.join(sorted(TABLE_KEYS))})"
                for k in spec if k not in TABLE_KEYS]
    if not isinstance(spec.get("table"), str) or not spec["table"]:
        problems.append(f"{where}: needs `table`, the SAP table's name (e.g. BKPF)")
    if not TABLE_KEYS - {"table", "where", "fields"} & set(spec):
        problems.append(f"{where}: says nothing to check (give rows, contains, count, sum or as)")
    for key in ("rows", "contains"):
        if key in spec and not (isinstance(spec[key], list)
                                and all(isinstance(r, dict) and r for r in spec[key])):
            problems.append(f"{where}: `{key}` must be a list of mappings (field: value)")
    if "sum" in spec and not isinstance(spec["sum"], dict):
        problems.append(f"{where}: `sum` must map amount fields to their expected total")
    for key in ("where", "as"):
        if key in spec and not isinstance(spec[key], str):
            problems.append(f"{where}: `{key}` must be a text")
    if "fields" in spec and not (isinstance(spec["fields"], list)
                                 and all(isinstance(f, str) for f in spec["fields"])):
        problems.append(f"{where}: `fields` must be a list of field names")
    count = spec.get("count", 0)
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        problems.append(f"{where}: `count` must be a whole number ≥ 0")
    return problems


def check_table(spec: dict[str, Any], driver: Any, saved: dict[str, Any],
                label_where: str | None = None) -> list[Check]:
    """The checks of one table item; `label_where` is the condition as written (with its
    `${…}`), so a check's name stays the same from run to run (JUnit history)."""
    table, condition = spec["table"].upper(), spec.get("where", "")
    wanted = [*spec.get("fields", [])]
    for row in [*spec.get("rows", []), *spec.get("contains", []), spec.get("sum", {})]:
        wanted += [str(name).upper() for name in row if str(name).upper() not in wanted]
    rows, types = read_rows(driver, table, wanted, condition)
    shown = condition if label_where is None else label_where
    label = f"{table}" + (f" where {shown}" if shown else "")
    checks = []
    if "count" in spec:
        checks.append(Check(f"{label}: number of rows", str(spec["count"]), str(len(rows)),
                            spec["count"] == len(rows)))
    for key in ("rows", "contains"):
        if key in spec:
            expected = [{str(k).upper(): v for k, v in row.items()} for row in spec[key]]
            checks.append(_rows_check(label, expected, rows, types, exact=key == "rows"))
    for name, total in (spec.get("sum") or {}).items():
        field = str(name).upper()
        try:
            found: Decimal | str = sum((number(row[field]) for row in rows), Decimal(0))
        except (InvalidOperation, KeyError):
            found = f"{field} is not an amount field of {table}"
        checks.append(Check(f"{label}: sum of {field}", str(total), str(found),
                            _decimal(total) == found))
    if spec.get("as"):
        saved[spec["as"]] = dict(rows[0]) if rows else {}
    return checks


def read_rows(driver: Any, table: str, fields: list[str], condition: str
              ) -> tuple[list[dict[str, str]], dict[str, str]]:
    """The selected rows (values trimmed) and each field's ABAP type letter."""
    with driver.connect() as erp:
        result = erp.call("RFC_READ_TABLE", QUERY_TABLE=table, DELIMITER="",
                          FIELDS=[{"FIELDNAME": f} for f in fields], OPTIONS=_options(condition))
    layout = [(f["FIELDNAME"], int(f["OFFSET"]), int(f["LENGTH"]), f["TYPE"])
              for f in result["FIELDS"]]
    rows = [{name: line["WA"][offset:offset + length].strip()
             for name, offset, length, _ in layout} for line in result["DATA"]]
    return rows, {name: kind for name, _, _, kind in layout}


def _rows_check(label: str, expected: list[dict[str, Any]], rows: list[dict[str, str]],
                types: dict[str, str], exact: bool) -> Check:
    unmatched, left = [], list(rows)
    for want in expected:
        hit = next((row for row in left if all(same(v, row.get(k, ""), types.get(k, "C"))
                                                for k, v in want.items())), None)
        if hit is None:
            unmatched.append(want)
        else:
            left.remove(hit)
    ok = not unmatched and (not exact or not left)
    names = list(dict.fromkeys(k for want in expected for k in want))
    shown = [{k: row.get(k, "") for k in names} for row in rows]
    what = f"{label}: {'rows' if exact else 'contains rows'}"
    note = "" if ok else (f"; missing {_rows_text(unmatched)}" if unmatched else
                          f"; {len(left)} more than expected")
    return Check(what, _rows_text(expected), _rows_text(shown) + note, ok)


def same(expected: Any, found: str, abap_type: str) -> bool:
    """Does a value from the file equal a field's value as RFC_READ_TABLE gave it?"""
    if abap_type in NUMERIC:
        want = _decimal(expected)
        return want is not None and want == number(found)
    if abap_type == "N" and isinstance(expected, int) and not isinstance(expected, bool):
        return found.isdigit() and int(found) == expected
    return text(expected, abap_type) == found


def text(value: Any, abap_type: str = "C") -> str:
    if isinstance(value, bool):
        return "X" if value else ""
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.strftime("%Y%m%d")
    if abap_type == "D" and isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return value.replace("-", "")
    return str(value).strip()


def number(value: str) -> Decimal:
    """A packed or integer value as RFC_READ_TABLE writes it (`250.00-`, blank for zero)."""
    value = value.strip()
    if value.endswith("-"):
        value = "-" + value[:-1]
    return Decimal(value or "0")


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).strip()) if not isinstance(value, bool) else None
    except InvalidOperation:
        return None


def _rows_text(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no rows"
    return "; ".join("{" + ", ".join(f"{k}={v}" for k, v in row.items()) + "}" for row in rows)


def _options(condition: str) -> list[dict[str, str]]:
    """The condition as OPTIONS rows of at most 72 characters, cut between words."""
    rows, line = [], ""
    for word in condition.strip().split(" "):
        if line and len(line) + 1 + len(word) > 72:
            rows.append({"TEXT": line})
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*rows, {"TEXT": line}] if line else rows
