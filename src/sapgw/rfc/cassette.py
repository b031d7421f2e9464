"""Cassettes: RFC traffic recorded to a file, answered again from it, and compared.

Why: a recording of what a system answered lets a test run without that system (`replay`),
and two recordings of the same traffic — the stub's and a real ERP's — show field by field
where the stub differs (`diff`). docs/CASSETTES.md is the user's guide.

Format: JSON lines, one RFC call per line, in the order the calls ended:

    {"seq": 1, "function": "BAPI_X", "tid": null, "queue": null, "params": {...}, "result": {...}}
    {"seq": 2, "function": "CRM_Y", "tid": "0A1B…", "queue": "R3AUFM1791", "part": 1, "parts": 1,
     "params": {...}, "error": {"class": "ABAPApplicationError", "message": "...", "code": 5}}

- A synchronous call has `tid` and `queue` null and either `result` or `error`.
- A tRFC/qRFC unit is one line per call with its TID, queue (null for tRFC), `part` (1-based)
  and `parts`; it runs all or nothing, so its outcome is on its last part (`result` null, or
  `error`); earlier parts carry `result` null.
- `error` holds the pyrfc error class and its attributes (None ones left out).
- Values: JSON numbers with a fraction or exponent are `Decimal` (an integral Decimal is
  written `100E0`, so it stays Decimal), so money keeps its digits; values JSON lacks are
  tagged: `{"$date": "YYYYMMDD"}`, `{"$time": "HHMMSS"}` (the JSON RFC text forms),
  `{"$float": "1.5"}`, `{"$bytes": base64}`, `{"$datetime": iso}`, `{"$decimal": "NaN"}`,
  and anything else `{"$repr": "..."}` (read back as that text).
- `injected`: the id of the failure injection rule (F3) that produced or delayed this
  outcome (docs/FAULTS.md), on the call's line or a unit's last part; absent otherwise.
- Secrets: the value of any field whose name matches SECRET_NAMES is written as "***",
  in parameters, results and recorded errors alike (by field name: free text is not
  searched); replay masks the calls it compares.

Recording appends (delete the file to start afresh); `seq` continues the file's numbering,
also across processes (an exclusive file lock around each append).
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import Any

from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import (
    ERROR_CLASSES,
    CommunicationError,
    ExternalRuntimeError,
    RFCError,
    RFCLibError,
)
from sapgw.rfc.injected import injected_fault, injected_units
from sapgw.rfc.jsonvalues import loads
from sapgw.types import RfcCall

try:
    import fcntl
except ImportError:  # not on Windows: one process per cassette there
    fcntl = None  # type: ignore[assignment]

# Field names (case-insensitive glob patterns) whose values are never written to a cassette.
SECRET_NAMES = ("*PASSWORD*", "*PASSWD*", "*PWD", "*SECRET*", "*TOKEN*", "MYSAPSSO2")
MASK = "***"
# How a replay finds the recording that answers a call (see ReplayConnection).
MATCH_MODES = ("params", "order", "function")


class CassetteError(ValueError):
    """A cassette file that cannot be read: which file, which line, what is wrong."""


class _Missing:
    def __repr__(self) -> str:
        return "(missing)"


MISSING: Any = _Missing()


# -- values ----------------------------------------------------------------------------------
def _tag(name: str, text: str) -> str:
    return f'{{"${name}":{json.dumps(text)}}}'


def to_json(value: Any) -> str:
    """Compact JSON text of an RFC value that `from_json` turns back into the same value."""
    if value is None or isinstance(value, str | bool | int):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return _tag("decimal", str(value))
        text = str(value)
        return text if any(c in text for c in ".Ee") else text + "E0"
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k), ensure_ascii=False)}:{to_json(v)}"
                              for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(to_json(v) for v in value) + "]"
    if isinstance(value, float):
        return _tag("float", repr(value))
    if isinstance(value, dt.datetime):
        return _tag("datetime", value.isoformat())
    if isinstance(value, dt.date):
        return _tag("date", value.strftime("%Y%m%d"))
    if isinstance(value, dt.time):
        return _tag("time", value.strftime("%H%M%S"))
    if isinstance(value, bytes | bytearray):
        return _tag("bytes", base64.b64encode(value).decode())
    return _tag("repr", repr(value))


_UNTAG = {
    "$date": lambda t: dt.datetime.strptime(t, "%Y%m%d").date(),
    "$time": lambda t: dt.datetime.strptime(t, "%H%M%S").time(),
    "$datetime": dt.datetime.fromisoformat,
    "$float": float,
    "$decimal": Decimal,
    "$bytes": base64.b64decode,
    "$repr": str,
}


def from_json(value: Any) -> Any:
    """Undo the tags of `to_json` in a value parsed with `jsonvalues.loads`.

    A tag whose text is not what it names (`{"$date": "2026"}`) raises ValueError.
    """
    if isinstance(value, dict):
        if len(value) == 1:
            (key, text), = value.items()
            if key in _UNTAG and isinstance(text, str):
                try:
                    return _UNTAG[key](text)
                except (ValueError, ArithmeticError):  # Decimal raises InvalidOperation
                    raise ValueError(f"{{{json.dumps(key)}: {json.dumps(text)}}} is not a "
                                     f"valid {key[1:]}") from None
        return {k: from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json(v) for v in value]
    return value


def normalize(value: Any) -> Any:
    """The value as a cassette gives it back (tuples as lists, …): what replay compares."""
    return from_json(loads(to_json(value)))


@lru_cache(maxsize=4096)
def _is_secret(name: str, patterns: tuple[str, ...]) -> bool:
    upper = name.upper()
    return any(fnmatchcase(upper, p.upper()) for p in patterns)


def mask(value: Any, patterns: tuple[str, ...] = SECRET_NAMES) -> Any:
    """A copy with every non-empty value under a secret field name replaced by "***"."""
    if isinstance(value, dict):
        return {k: MASK if value[k] not in ("", None) and _is_secret(str(k), patterns)
                else mask(value[k], patterns) for k in value}
    if isinstance(value, list | tuple):
        return [mask(v, patterns) for v in value]
    return value


# -- errors ----------------------------------------------------------------------------------
def error_entry(exc: BaseException) -> dict[str, Any]:
    """An exception as a cassette stores it: its class name and pyrfc attributes."""
    if isinstance(exc, RFCLibError):
        attrs = {k: v for k, v in exc.to_json().items() if k != "error" and v not in (None, [])}
        return {"class": type(exc).__name__, **attrs}
    message = exc.args[0] if len(exc.args) == 1 else str(exc)
    return {"class": type(exc).__name__, "message": str(message)}


def error_from_entry(entry: dict[str, Any]) -> RFCError:
    """The exception a recorded error stands for: the same pyrfc class with its attributes.

    A plain RFCError comes back as one; any other class (a bug or a transport error of the
    recorded connection) as an RFCError naming it.
    """
    name = str(entry.get("class"))
    attrs = {k: v for k, v in entry.items() if k != "class"}
    cls = ERROR_CLASSES.get(name)
    if cls is not None:
        return RFCLibError.from_json({"error": name, **attrs})
    if name == "RFCError":
        return RFCError(attrs.get("message"))
    return RFCError(f"{name}: {attrs.get('message')}")


# -- reading ---------------------------------------------------------------------------------
def read_lines(path: str | Path) -> list[dict[str, Any]]:
    """Every line of a cassette, values decoded; CassetteError names the line that is bad."""
    try:
        content = Path(path).read_bytes()
    except OSError as exc:
        raise CassetteError(f"cannot read cassette {path}: {exc.strerror or exc}") from None
    raw_lines = content.splitlines()
    lines = []
    for number, raw in enumerate(raw_lines, start=1):
        if not raw.strip():
            continue
        try:
            parsed = loads(raw)
        except ValueError as exc:
            cut = number == len(raw_lines) and not content.endswith(b"\n")
            raise CassetteError(f"{path}: line {number}: not JSON ({exc})" + (
                "; the line is cut off (no newline at the end of the file: a recording "
                "interrupted while writing?)" if cut else "")) from None
        try:
            line = from_json(parsed)
        except ValueError as exc:
            raise CassetteError(f"{path}: line {number}: {exc}") from None
        if not isinstance(line, dict) or not isinstance(line.get("function"), str) or \
                not isinstance(line.get("params"), dict):
            raise CassetteError(f"{path}: line {number}: not a recorded call (an object with "
                                "function and params)")
        if ("result" in line) == ("error" in line):
            raise CassetteError(f"{path}: line {number}: needs exactly one of result and error")
        if "error" in line and not (isinstance(line["error"], dict)
                                    and isinstance(line["error"].get("class"), str)):
            raise CassetteError(f"{path}: line {number}: error must be an object with the "
                                "error's class")
        line["_line"] = number
        lines.append(line)
    return lines


@dataclass
class Recording:
    """One recorded call, or one unit with its calls: what a replay answers from."""

    seq: int
    calls: list[tuple[str, dict[str, Any]]]
    tid: str | None = None
    queue: str | None = None
    result: Any = None
    error: dict[str, Any] | None = None

    @property
    def is_unit(self) -> bool:
        return self.tid is not None

    @property
    def functions(self) -> tuple[str, ...]:
        return tuple(function for function, _ in self.calls)


def recordings(lines: list[dict[str, Any]], path: str | Path = "cassette") -> list[Recording]:
    """Group a cassette's lines: a synchronous call alone, a unit's parts together."""
    found: list[Recording] = []
    unit: Recording | None = None
    for line in lines:
        call = (line["function"], line["params"])
        if "part" not in line:
            if unit is not None:
                raise CassetteError(f"{path}: line {line.get('_line')}: unit {unit.tid} ends "
                                    "before its last part")
            found.append(Recording(line.get("seq", 0), [call], result=line.get("result"),
                                   error=line.get("error")))
            continue
        part, parts = line.get("part"), line.get("parts")
        if unit is None:
            if part != 1:
                raise CassetteError(f"{path}: line {line.get('_line')}: a unit must start "
                                    "at part 1")
            unit = Recording(line.get("seq", 0), [], line.get("tid") or "", line.get("queue"))
        elif part != len(unit.calls) + 1 or line.get("tid") != unit.tid:
            raise CassetteError(f"{path}: line {line.get('_line')}: expected part "
                                f"{len(unit.calls) + 1} of unit {unit.tid}")
        unit.calls.append(call)
        if part == parts:
            unit.error = line.get("error")
            found.append(unit)
            unit = None
    if unit is not None:
        raise CassetteError(f"{path}: unit {unit.tid} lacks its last part")
    return found


# -- comparing -------------------------------------------------------------------------------
class IgnoreRules:
    """Field paths left out of comparisons, e.g. `OBJ_KEY, RETURN.*.MESSAGE_V2`.

    A pattern is a dotted path of glob segments (`[0]` may be written `.0`; `*` matches any
    name or row). One segment matches that field at any depth; more are anchored at the
    parameter (`RETURN.*.MESSAGE`) or at the section (`result.RETURN.*.MESSAGE`). Matching a
    structure or table ignores everything inside it. Case does not matter.
    """

    def __init__(self, patterns: Iterable[str] = ()) -> None:
        self.patterns = [tuple(p.upper().replace("[", ".").replace("]", "").split("."))
                         for raw in patterns for p in [raw.strip()] if p]

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def __call__(self, segments: tuple[str, ...]) -> bool:
        upper = tuple(s.upper() for s in segments)
        for pattern in self.patterns:
            if len(pattern) == 1 and fnmatchcase(upper[-1], pattern[0]):
                return True
            for tail in (upper, upper[1:]):
                if len(tail) == len(pattern) and all(map(fnmatchcase, tail, pattern)):
                    return True
        return False


def differences(a: Any, b: Any, ignore: IgnoreRules | None = None,
                segments: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any, Any]]:
    """(path segments, a's value, b's value) of every leaf that differs; MISSING if absent."""
    if segments and ignore and ignore(segments):
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in dict.fromkeys([*a, *b]):
            yield from differences(a.get(key, MISSING), b.get(key, MISSING), ignore,
                                   (*segments, str(key)))
    elif isinstance(a, list) and isinstance(b, list):
        for i in range(max(len(a), len(b))):
            yield from differences(a[i] if i < len(a) else MISSING,
                                   b[i] if i < len(b) else MISSING, ignore, (*segments, str(i)))
    elif a is MISSING or b is MISSING or isinstance(a, str) != isinstance(b, str) or a != b:
        yield segments, a, b


def path_text(segments: Iterable[str]) -> str:
    """('RETURN', '0', 'MESSAGE') -> 'RETURN[0].MESSAGE'."""
    text = ""
    for segment in segments:
        text += f"[{segment}]" if segment.isdigit() else (f".{segment}" if text else segment)
    return text


def value_text(value: Any, limit: int = 80) -> str:
    if value is MISSING:
        return "(missing)"
    text = f"'{value}'" if isinstance(value, str) else to_json(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass(frozen=True)
class Difference:
    """One way two cassettes differ: a field of an aligned call, or a call only one has."""

    function: str
    a_seq: int | None
    b_seq: int | None
    path: str = ""
    a: Any = MISSING
    b: Any = MISSING

    def text(self) -> str:
        if self.b_seq is None:
            return f"A#{self.a_seq} {self.function}: only in A"
        if self.a_seq is None:
            return f"B#{self.b_seq} {self.function}: only in B"
        return (f"A#{self.a_seq} B#{self.b_seq} {self.function} {self.path}: "
                f"A {value_text(self.a)}, B {value_text(self.b)}")

    def to_json(self) -> dict[str, Any]:
        """kind: field (a and b differ at path), only_a or only_b (a call one side lacks)."""
        kind = "only_a" if self.b_seq is None else "only_b" if self.a_seq is None else "field"
        return {"kind": kind, "function": self.function, "a_seq": self.a_seq,
                "b_seq": self.b_seq, "path": self.path,
                "a": None if self.a is MISSING else self.a,
                "b": None if self.b is MISSING else self.b,
                "a_missing": kind == "field" and self.a is MISSING,
                "b_missing": kind == "field" and self.b is MISSING}


def _comparable(line: dict[str, Any]) -> dict[str, Any]:
    """What diff compares of a line: not seq or TID, which differ between any two runs."""
    return {key: line[key] for key in ("queue", "params", "result", "error") if key in line}


def diff(a: str | Path | list[dict[str, Any]], b: str | Path | list[dict[str, Any]],
         ignore: Iterable[str] = ()) -> list[Difference]:
    """Compare two cassettes call by call and field by field.

    Calls are aligned by function name (difflib), so one extra call shows as "only in A"
    instead of shifting every later comparison; aligned calls compare queue, params and
    result or error. TIDs and seq numbers are never compared.
    """
    lines_a = read_lines(a) if isinstance(a, str | Path) else a
    lines_b = read_lines(b) if isinstance(b, str | Path) else b
    rules = IgnoreRules(ignore)
    found: list[Difference] = []
    keys_a = [(ln["function"], "part" in ln) for ln in lines_a]
    keys_b = [(ln["function"], "part" in ln) for ln in lines_b]
    matcher = SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for x, y in zip(lines_a[i1:i2], lines_b[j1:j2], strict=True):
                found += [Difference(x["function"], x.get("seq"), y.get("seq"),
                                     path_text(path), va, vb)
                          for path, va, vb in differences(_comparable(x), _comparable(y), rules)]
            continue
        found += [Difference(x["function"], x.get("seq"), None) for x in lines_a[i1:i2]]
        found += [Difference(y["function"], None, y.get("seq")) for y in lines_b[j1:j2]]
    return found


# -- recording -------------------------------------------------------------------------------
class CassetteWriter:
    """Appends lines to one cassette file with gapless `seq` numbers.

    One writer per file and process (`CassetteWriter.at`); a file lock around each append
    keeps lines whole and numbers right when several worker processes record to one file.
    The file is opened per append, so nothing needs closing and a crash loses nothing written.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._size = 0
        self._count = 0

    @classmethod
    def at(cls, path: str | Path) -> CassetteWriter:
        resolved = Path(path).resolve()
        with _writers_lock:
            writer = _writers.get(resolved)
            if writer is None:
                writer = _writers[resolved] = cls(resolved)
        return writer

    def append(self, entries: list[dict[str, Any]]) -> None:
        """Write the entries as consecutive lines, numbering them after the file's last.

        A file that cannot be written raises `CommunicationError` (retryable: a queue goes
        CPICERR and resends, and the receiver acknowledges the TID it already executed).
        """
        try:
            self._append(entries)
        except OSError as exc:
            raise CommunicationError(f"cannot write cassette {self.path}: "
                                     f"{exc.strerror or exc}", 1,
                                     "RFC_COMMUNICATION_FAILURE") from exc

    def _append(self, entries: list[dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self.path, "ab") as handle:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # released when the file closes
            size = os.fstat(handle.fileno()).st_size
            if size != self._size:  # written by another process, or replaced
                self._count, self._size, whole = self._recount(size)
                if not whole:  # a line cut off by a crash: ours start on a line of their own
                    self._count += 1
                    handle.write(b"\n")
                    self._size += 1
            data = b""
            for entry in entries:
                self._count += 1
                data += to_json({"seq": self._count, **entry}).encode() + b"\n"
            handle.write(data)
            handle.flush()
            self._size += len(data)

    def _recount(self, size: int) -> tuple[int, int, bool]:
        """Lines and size of the file now, and whether its last line is whole."""
        start, count = (self._size, self._count) if size > self._size else (0, 0)
        with open(self.path, "rb") as reader:
            reader.seek(start)
            data = reader.read(size - start)
        return count + data.count(b"\n"), size, not data or data.endswith(b"\n")


_writers: dict[Path, CassetteWriter] = {}
_writers_lock = threading.Lock()


class RecordingConnection(RfcConnection):
    """Passes every call to the wrapped connection and writes it, with its outcome, down.

    Units go to the wrapped connection's own `submit_units`, so its exactly-once handling
    (and a local system's one transaction per batch) is unchanged; a unit is written once
    the wrapped connection has answered, with the TID it was sent with. Confirmations are
    passed on, not written: they carry no answer.
    """

    def __init__(self, inner: RfcConnection, cassette: str | Path,
                 secrets: tuple[str, ...] = SECRET_NAMES) -> None:
        self.inner = inner
        self.writer = CassetteWriter.at(cassette)
        self.secrets = secrets

    def _entry(self, function: str, params: dict[str, Any], tid: str | None = None,
               queue: str | None = None) -> dict[str, Any]:
        return {"function": function, "tid": tid, "queue": queue,
                "params": mask(params, self.secrets)}

    def _outcome(self, entry: dict[str, Any], result: Any, error: BaseException | None,
                 injected: str | None = None) -> dict[str, Any]:
        injected = injected or injected_fault(error if error is not None else result)
        if injected:  # a failure injection rule's doing, not the system's (rfc/injected.py)
            entry["injected"] = injected
        if error is not None:
            entry["error"] = mask(error_entry(error), self.secrets)
        else:
            entry["result"] = mask(result, self.secrets)
        return entry

    def _unit_entries(self, tid: str, calls: list[RfcCall], queue: str | None,
                      error: BaseException | None) -> list[dict[str, Any]]:
        entries = []
        injected = injected_units(self.inner).get(tid) or injected_fault(error)
        for part, call in enumerate(calls, start=1):
            entry = self._entry(call.function, call.params, tid, queue)
            entry.update(part=part, parts=len(calls))
            last = part == len(calls)
            entries.append(self._outcome(entry, None, error if last else None,
                                         injected if last else None))
        return entries

    def _call(self, function: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            result = self.inner.call(function, **params)
        except Exception as exc:
            self.writer.append([self._outcome(self._entry(function, params), None, exc)])
            raise
        self.writer.append([self._outcome(self._entry(function, params), result, None)])
        return result

    def _submit(self, tid: str, calls: list[RfcCall], queue: str | None) -> None:
        _, failure = self.submit_units([(tid, calls, queue)])
        if failure is not None:
            raise failure

    def submit_units(self, units: list[tuple[str, list[RfcCall], str | None]]
                     ) -> tuple[int, Exception | None]:
        done, failure = self.inner.submit_units(units)
        entries = [e for tid, calls, queue in units[:done]
                   for e in self._unit_entries(tid, calls, queue, None)]
        if failure is not None and done < len(units):
            tid, calls, queue = units[done]
            entries += self._unit_entries(tid, calls, queue, failure)
        if entries:
            self.writer.append(entries)
        return done, failure

    def _confirm(self, tid: str) -> None:
        self.inner.confirm_unit({"id": tid, "background": False, "queued": False})

    def close(self) -> None:
        if not self.closed:
            self.inner.close()
        super().close()


# -- replaying -------------------------------------------------------------------------------
def no_match(message: str) -> ExternalRuntimeError:
    """A call the cassette cannot answer: not retryable, so a queue stops with the reason."""
    return ExternalRuntimeError(f"replay: {message}", 15, "REPLAY_NO_MATCH")


@dataclass
class Replay:
    """The replayed system: its recordings, which are used up, and the TIDs it executed.

    Shared by all connections of one destination (as a real system is), so a reconnecting
    queue worker neither gets a used answer again nor has a resent TID executed twice.

    Matching (`match`):
    - `params` (default): the first unused recording of the same function (for a unit: the
      same functions in the same order) whose parameters are equal;
    - `order`: the next unused recording in the cassette must be that call;
    - `function`: the first unused recording of the same function(s), parameters unchecked.
    Parameters are compared after masking and without the `ignore` paths.
    """

    recordings: list[Recording]
    match: str = "params"
    ignore: IgnoreRules = field(default_factory=IgnoreRules)
    secrets: tuple[str, ...] = SECRET_NAMES
    used: set[int] = field(default_factory=set)
    executed: set[str] = field(default_factory=set)
    lock: threading.RLock = field(default_factory=threading.RLock)
    # unused recordings by (is unit, functions), in cassette order; and the first unused one
    _unused: dict[tuple[bool, tuple[str, ...]], list[int]] = field(default_factory=dict)
    _next: int = 0

    def __post_init__(self) -> None:
        if self.match not in MATCH_MODES:
            raise ValueError(f"match {self.match!r} is not one of {', '.join(MATCH_MODES)}")
        for i, recording in enumerate(self.recordings):
            if i not in self.used:
                self._unused.setdefault((recording.is_unit, recording.functions), []).append(i)

    @classmethod
    def load(cls, path: str | Path, match: str = "params", ignore: Iterable[str] = (),
             secrets: tuple[str, ...] = SECRET_NAMES) -> Replay:
        return cls(recordings(read_lines(path), path), match, IgnoreRules(ignore), secrets)

    def connect(self) -> ReplayConnection:
        return ReplayConnection(self)

    def answer(self, calls: list[tuple[str, dict[str, Any]]], unit: bool) -> Recording:
        """Take the recording that answers these calls, or raise why there is none."""
        wanted = [(function, normalize(mask(params, self.secrets))) for function, params in calls]
        functions = tuple(function for function, _ in calls)
        with self.lock:
            while self._next in self.used:
                self._next += 1
            candidates = self._unused.get((unit, functions), [])
            if self.match == "order":
                candidates = [i for i in candidates[:1] if i == self._next]
            best: tuple[int, list[str]] | None = None
            for i in candidates:
                found = self._differences(self.recordings[i], wanted)
                if not found:
                    self.used.add(i)
                    self._unused[(unit, functions)].remove(i)
                    return self.recordings[i]
                if best is None or len(found) < len(best[1]):
                    best = (i, found)
        what = ("unit " if unit else "call of ") + ", ".join(functions)
        if best is not None:
            more = f" (and {len(best[1]) - 1} more)" if len(best[1]) > 1 else ""
            raise no_match(f"no recorded {what} matches; nearest differs in {best[1][0]}"
                           f"{more} (cassette seq {self.recordings[best[0]].seq})")
        if self.match == "order" and self._next < len(self.recordings):
            nxt = self.recordings[self._next]
            raise no_match(f"expected the recorded {'unit ' if nxt.is_unit else 'call of '}"
                           f"{', '.join(nxt.functions)} (seq {nxt.seq}) next, got {what}")
        total = sum(1 for r in self.recordings if r.is_unit == unit and r.functions == functions)
        left = f"all {total} recordings of it are used" if total else "the cassette has none"
        raise no_match(f"no recorded {what} left: {left}")

    def _differences(self, recording: Recording, wanted: list[tuple[str, Any]]) -> list[str]:
        if self.match == "function":
            return []
        found = []
        for index, ((_, recorded), (function, params)) in enumerate(
                zip(recording.calls, wanted, strict=True)):
            where = f"call {index + 1} ({function}) " if len(wanted) > 1 else ""
            found += [f"{where}{path_text(path[1:])}: recorded {value_text(a)}, "
                      f"got {value_text(b)}"
                      for path, a, b in differences(recorded, params, self.ignore, ("params",))]
        return found

    def run_unit(self, tid: str, calls: list[RfcCall]) -> None:
        """Answer a unit once per TID: a TID already executed is only acknowledged."""
        with self.lock:  # two deliveries of one TID at once: the second is acknowledged
            if tid in self.executed:
                return
            recording = self.answer([(c.function, c.params) for c in calls], unit=True)
            if recording.error is not None:  # rolled back: the same TID may come again
                raise error_from_entry(recording.error)
            self.executed.add(tid)

    def forget(self, tid: str) -> None:
        """The sender confirmed the TID: the receiver may forget it."""
        with self.lock:
            self.executed.discard(tid)


class ReplayConnection(RfcConnection):
    """Answers calls and units from a cassette instead of a system (see `Replay`).

    A call gets a copy of its recorded result or raises its recorded error, same class and
    attributes. A unit raises its recorded error or succeeds; a TID already executed is
    acknowledged without using another recording, as a receiver's ARFCRSTATE would.
    """

    def __init__(self, replay: Replay) -> None:
        self.replay = replay

    @classmethod
    def open(cls, path: str | Path, match: str = "params", ignore: Iterable[str] = ()
             ) -> ReplayConnection:
        return cls(Replay.load(path, match, ignore))

    def _call(self, function: str, params: dict[str, Any]) -> dict[str, Any]:
        recording = self.replay.answer([(function, params)], unit=False)
        if recording.error is not None:
            raise error_from_entry(recording.error)
        return copy.deepcopy(recording.result) if recording.result is not None else {}

    def _submit(self, tid: str, calls: list[RfcCall], queue: str | None) -> None:
        self.replay.run_unit(tid, calls)

    def _confirm(self, tid: str) -> None:
        self.replay.forget(tid)
