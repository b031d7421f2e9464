"""What each step verb does on a driver; each answers a line for the report.

A BDoc or IDoc the gateway takes in is not a failure of the step even when it ends in error
later (E06, IDoc status 51): that is an outcome for `expect`. An RFC call is different: its
RETURN with type E or A stops the run (the step did not do what it says), unless the step
has `allow_error: true`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sapgw.gateway.idoc.model import IdocFormatError, build
from sapgw.gateway.idoc.xml_format import write_idoc_xml
from sapgw.idoc_schemas import idoc_type
from sapgw.rfc.message_line import ERROR_TYPES, row_line

# EDI_DC40 of an IDoc a partner system sends to the ERP (the demo partner profiles of WE20);
# a step's `control` overrides any of these.
DEFAULT_CONTROL = {"TABNAM": "EDI_DC40", "DIRECT": "2", "SNDPOR": "SAPEXT", "SNDPRT": "LS",
                   "SNDPRN": "EXTCLNT100", "RCVPOR": "SAPGW", "RCVPRT": "LS",
                   "RCVPRN": "ERPCLNT100"}
BDOC_ID = re.compile(r"^[0-9A-Fa-f]{32}$")


class StepFailed(Exception):
    """A step could not be done; the message says why."""


def run_verb(verb: str, value: Any, options: dict[str, Any], base_dir: Path, driver: Any,
             saved: dict[str, Any]) -> str:
    handler = VERBS[verb]
    return handler(value, options, base_dir, driver, saved)


def _send(value: Any, options: dict[str, Any], _base: Path, driver: Any,
          saved: dict[str, Any]) -> str:
    items = [_wire(i) for i in (options["items"] if "items" in options
                                     else [options["data"]])]
    ids = driver.send(value, items, options.get("sender", "CRM"))
    names = options.get("as")
    names = ([names] if isinstance(names, str) else names) or [None] * len(ids)
    for name, bdoc_id in zip(names, ids, strict=True):
        if name:
            saved[name] = {"bdoc_id": bdoc_id, "type": value}
    return "; ".join(f"{value} {bdoc_id}" + (f" ({name})" if name else "") + " accepted (I01)"
                     for name, bdoc_id in zip(names, ids, strict=True))


def _idoc(value: Any, options: dict[str, Any], _base: Path, driver: Any,
          saved: dict[str, Any]) -> str:
    definition = idoc_type(value)
    if definition is None:
        raise StepFailed(f"IDoc type {value!r} is not defined (docs/IDOC.md lists the types)")
    control = {**DEFAULT_CONTROL, "IDOCTYP": value, "MESTYP": definition.mestyp,
               **{k: str(v) for k, v in (options.get("control") or {}).items()}}
    segments = [(name, {k: _text(v) for k, v in (fields or {}).items()})
                for segment in options["segments"] for name, fields in segment.items()]
    try:
        content = write_idoc_xml([build(control, segments)])
    except IdocFormatError as error:
        raise StepFailed(f"IDoc {value}: {error}") from None
    return _received(driver.send_idoc(content, flat=False), options.get("as"), saved)


def _idoc_file(value: Any, options: dict[str, Any], base: Path, driver: Any,
               saved: dict[str, Any]) -> str:
    path = base / value
    try:
        content = path.read_bytes()
    except OSError as error:
        raise StepFailed(f"IDoc file {path} cannot be read: {error.strerror or error}") from None
    flat = not content.lstrip().startswith(b"<")
    return _received(driver.send_idoc(content, flat), options.get("as"), saved)


def _received(results: list[dict[str, Any]], alias: Any, saved: dict[str, Any]) -> str:
    names = [alias] if isinstance(alias, str) else list(alias or [])
    for name, result in zip(names, results, strict=False):
        saved[name] = {"DOCNUM": result["DOCNUM"], "STATUS": result["STATUS"]}
    return "; ".join(f"IDoc {r['DOCNUM']}: status {r['STATUS']}" for r in results)


def _rfc(value: Any, options: dict[str, Any], _base: Path, driver: Any,
         saved: dict[str, Any]) -> str:
    with driver.connect() as erp:
        result = erp.call(value, **options.get("params", {}))
        errors = [m for m in _returns(result) if m.get("TYPE") in ERROR_TYPES]
        if errors and not options.get("allow_error"):
            if options.get("commit"):
                erp.call("BAPI_TRANSACTION_ROLLBACK")
            raise StepFailed(f"{value} answered RETURN " + "; ".join(
                f"{m['TYPE']} {row_line(m)}" for m in errors)
                + " (give `allow_error: true` if that is expected)")
        if options.get("commit"):
            erp.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
    if options.get("as"):
        saved[options["as"]] = result
    messages = [m.get("MESSAGE") for m in _returns(result) if m.get("MESSAGE")]
    return f"{value} called" + (" and committed" if options.get("commit") else "") + (
        f": {'; '.join(messages)}" if messages else "")


def _run(value: Any, _options: dict[str, Any], _base: Path, driver: Any, _saved: Any) -> str:
    timeout = float(value if isinstance(value, int | float) else 60.0)
    driver.run_idle(timeout)
    return "queues ran until nothing more could run"


def _clock(value: Any, _options: dict[str, Any], _base: Path, driver: Any, _saved: Any) -> str:
    spec = value if isinstance(value, dict) else {"set": value}
    at = moment(spec["set"]) if "set" in spec else None
    shift = duration(spec["advance"]) if "advance" in spec else None
    return f"clock now {driver.clock(at, shift, bool(spec.get('frozen')))}"


def _fault(value: Any, options: dict[str, Any], _base: Path, driver: Any,
           saved: dict[str, Any]) -> str:
    answer = driver.add_fault(value)
    if options.get("as"):
        saved[options["as"]] = answer if isinstance(answer, dict) else {"rule": answer}
    return f"fault injected: {answer}"


def _reset(value: Any, _options: dict[str, Any], _base: Path, driver: Any, _saved: Any) -> str:
    driver.reset(value)
    return f"reset to {value or 'the demo state'}"


def _bdoc_action(action: str) -> Any:
    def handler(value: Any, _options: dict[str, Any], _base: Path, driver: Any,
                saved: dict[str, Any]) -> str:
        entry = saved.get(value)
        if isinstance(entry, dict) and "bdoc_id" in entry:
            bdoc_id = entry["bdoc_id"]
        elif BDOC_ID.match(str(value)):
            bdoc_id = str(value)
        else:
            raise StepFailed(f"{value!r} is neither a name a send saved (`as`) nor a BDoc id")
        answer = driver.bdoc_action(bdoc_id, action)
        return f"BDoc {bdoc_id}: {answer['state']} ({answer.get('message', action)})"
    return handler


def _queue_action(action: str) -> Any:
    def handler(value: Any, options: dict[str, Any], _base: Path, driver: Any,
                _saved: Any) -> str:
        answer = driver.queue_action(str(value), options.get("direction", "out"), action)
        return f"queue {value}: {answer.get('status')}"
    return handler


def _returns(result: dict[str, Any]) -> list[dict[str, Any]]:
    value = result.get("RETURN")
    rows = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
    return [row for row in rows if row.get("TYPE")]


def _wire(value: Any) -> Any:
    """BDoc data as JSON carries it: dates as ISO text (YAML reads 2026-11-22 as a date),
    amounts as text (no digit lost to a float)."""
    if isinstance(value, dict):
        return {k: _wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wire(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if isinstance(value, Decimal) else value


def _text(value: Any) -> str:
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    return "" if value is None else str(value)


def duration(text: Any) -> timedelta:
    """`2d`, `3h`, `30m`, `10s` (or a number of seconds) as a timedelta."""
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*([dhms]?)\s*", str(text))
    if not match:
        raise StepFailed(f"clock advance {text!r} is no duration (e.g. 2d, 3h, 30m, 10s)")
    unit = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds", "": "seconds"}
    return timedelta(**{unit[match.group(2)]: float(match.group(1))})


def moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, 12, 0)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


VERBS = {"send": _send, "idoc": _idoc, "idoc_file": _idoc_file, "rfc": _rfc, "run": _run,
         "clock": _clock, "fault": _fault, "reset": _reset,
         "reprocess": _bdoc_action("reprocess"), "discard": _bdoc_action("discard"),
         "set_processed": _bdoc_action("set-processed"), "lock": _queue_action("lock"),
         "unlock": _queue_action("unlock"), "activate": _queue_action("activate")}
