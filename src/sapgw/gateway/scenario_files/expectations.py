"""The `expect` block: its shape checked at load, its BDoc, queue and IDoc checks at run time.

    expect:
      bdocs:  {tpm: F04, fu: {state: E06, error: TPM9}}       # by the name a send saved
              # or a list: [{type: BUPA_MAIN, sender: ERP, state: F04, count: 2}]
      queues: {R3AUFMFU1791: SYSFAIL, CSAMKTPLTPM1: {status: EMPTY, direction: in}}
      idocs:  {customer: "53"}
      tables: [{table: BKPF, where: "XBLNR = 'FPO1'", rows: [{BUKRS: "1000"}]}]

A queue that holds no LUW has status EMPTY (as SMQ1 shows no line for it). ERP tables are
checked in `table_checks` (RFC_READ_TABLE).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sapgw.gateway.scenario_files.results import Check
from sapgw.gateway.scenario_files.table_checks import check_table, table_problems

KEYS = ("bdocs", "queues", "idocs", "tables")
BDOC_KEYS = {"name", "type", "key", "sender", "state", "error", "count"}
QUEUE_KEYS = {"status", "direction", "entries", "error"}


def expectation_problems(value: Any, where: str) -> list[str]:
    """Every structural problem of one `expect` block, each naming the step and the field."""
    if not isinstance(value, dict) or not value:
        return [f"{where}: `expect` must be a mapping with any of {', '.join(KEYS)}"]
    problems = [f"{where}: unknown expectation `{k}` (known: {', '.join(KEYS)})"
                for k in value if k not in KEYS]
    for number, item in enumerate(bdoc_items(value.get("bdocs", [])), 1):
        at = f"{where}: bdocs[{item.get('name') or number}]"
        if not isinstance(item, dict):
            problems.append(f"{at}: must be a mapping such as {{type: CRM_MKTPL, state: F04}}")
            continue
        problems += [f"{at}: unknown field `{k}` (known: {', '.join(sorted(BDOC_KEYS))})"
                     for k in item if k not in BDOC_KEYS]
        if not item.get("name") and not item.get("type"):
            problems.append(f"{at}: needs `name` (saved by a send's `as`) or `type`")
        if not {"state", "error", "count"} & set(item):
            problems.append(f"{at}: says nothing to check (give `state`, `error` or `count`)")
        if "count" in item and not _count(item["count"]):
            problems.append(f"{at}: `count` must be a whole number ≥ 0")
    queues = value.get("queues", {})
    if not isinstance(queues, dict):
        problems.append(f"{where}: `queues` must map queue names to a status or to "
                        "{status, direction, entries, error}")
    else:
        for name, spec in queues.items():
            if isinstance(spec, dict):
                problems += [f"{where}: queues[{name}]: unknown field `{k}` (known: "
                             f"{', '.join(sorted(QUEUE_KEYS))})" for k in spec
                             if k not in QUEUE_KEYS]
                if spec.get("direction", "out") not in ("in", "out"):
                    problems.append(f"{where}: queues[{name}]: `direction` must be out or in")
            elif not isinstance(spec, str):
                problems.append(f"{where}: queues[{name}]: must be a status such as SYSFAIL")
    idocs = value.get("idocs", {})
    if not isinstance(idocs, dict) or not all(isinstance(s, str | int) for s in idocs.values()):
        problems.append(f"{where}: `idocs` must map the names IDoc steps saved to a status "
                        "such as \"53\"")
    tables = value.get("tables", [])
    if not isinstance(tables, list):
        problems.append(f"{where}: `tables` must be a list of table checks")
    else:
        for number, spec in enumerate(tables, 1):
            problems += table_problems(spec, f"{where}: tables[{number}]")
    return problems


def bdoc_items(value: Any) -> list[Any]:
    """The `bdocs` expectation as a list: the mapping form `{name: state}` becomes items."""
    if isinstance(value, dict):
        return [{"name": name, **(spec if isinstance(spec, dict) else {"state": spec})}
                for name, spec in value.items()]
    return value if isinstance(value, list) else [value]


def evaluate(value: dict[str, Any], driver: Any, saved: dict[str, Any],
             resolve: Callable[[Any], Any]) -> list[Check]:
    """Every check of one `expect` block, in the file's order; `resolve` fills in `${…}` of
    each item just before it is checked."""
    checks: list[Check] = []
    for item in bdoc_items(value.get("bdocs", [])):
        checks += _bdoc_checks(resolve(item), driver, saved)
    for name, spec in resolve(value.get("queues") or {}).items():
        spec = spec if isinstance(spec, dict) else {"status": spec}
        direction = spec.get("direction", "out")
        queue = driver.queue(str(name), direction)
        label = f"queue {name} ({'SMQ1' if direction == 'out' else 'SMQ2'})"
        status = queue["status"] if queue else "EMPTY"
        if "status" in spec:
            checks.append(_equal(f"{label} status", spec["status"], status,
                                 f" ({queue['error']})" if queue and queue.get("error") else ""))
        if "entries" in spec:
            checks.append(_equal(f"{label} entries", spec["entries"],
                                 queue["entries"] if queue else 0))
        if "error" in spec:
            checks.append(_contains(f"{label} error", spec["error"],
                                    (queue or {}).get("error") or ""))
    for name, status in resolve(value.get("idocs") or {}).items():
        docnum = _saved(saved, str(name), "DOCNUM", "an idoc step")
        checks.append(_equal(f"IDoc {name} status", str(status).zfill(2),
                             driver.idoc_status(docnum), f" (IDoc {docnum})"))
    for spec in value.get("tables") or []:
        checks += check_table(resolve(spec), driver, saved, label_where=spec.get("where", ""))
    return checks


def _bdoc_checks(item: dict[str, Any], driver: Any, saved: dict[str, Any]) -> list[Check]:
    if item.get("name"):
        bdoc_id = _saved(saved, str(item["name"]), "bdoc_id", "a send")
        detail = driver.bdoc(bdoc_id)
        label, found = f"BDoc {item['name']}", [detail]
    else:
        found = driver.bdocs(item["type"], item.get("key"), item.get("sender"))
        label = "BDocs " + " ".join(f"{k}={item[k]}" for k in ("type", "key", "sender")
                                    if item.get(k))
    checks = []
    if "count" in item:
        checks.append(_equal(f"{label} count", item["count"], len(found)))
    if "state" in item:
        states = sorted({b["state"] for b in found}) or ["(no BDoc)"]
        notes = [b["error"] for b in found if b.get("error")]
        if item.get("name"):
            notes.insert(0, f"{found[0]['type']} {found[0]['bdoc_id']}")
        checks.append(Check(f"{label} state", str(item["state"]), ", ".join(states)
                            + (f" ({'; '.join(notes)})" if notes else ""),
                            states == [str(item["state"])]))
    if "error" in item:
        checks.append(_contains(f"{label} error", item["error"],
                                "; ".join(b.get("error") or "" for b in found)))
    return checks


def _saved(saved: dict[str, Any], name: str, field: str, by: str) -> str:
    entry = saved.get(name)
    if not isinstance(entry, dict) or field not in entry:
        raise LookupError(f"no earlier step saved {name!r} with `as: {name}` ({by} does)")
    return str(entry[field])


def _equal(what: str, expected: Any, found: Any, note: str = "") -> Check:
    return Check(what, str(expected), f"{found}{note}", str(expected) == str(found))


def _contains(what: str, expected: Any, found: str) -> Check:
    return Check(what, f"contains {expected!r}", repr(found) if found else "(no error)",
                 str(expected) in found)


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
