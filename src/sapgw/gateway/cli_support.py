"""What every `sapgw` command shares: messages in SAP's form, input checked at the door, exit
codes. New commands use these instead of their own (see docs/CONTRACT.md, "CLI rules"):

- `fail(text)` / `UsageError`: `sapgw: <text>` on stderr, exit 1 (the call failed) or 2 (the
  command line cannot work);
- `failed_return(result)`: the headline error of an RFC result's RETURN as `ID NUMBER text`
  (container messages such as RW 609 skipped), None when the call succeeded; print it with
  `fail` and exit 1;
- `return_summary(result)` / `return_lines(result)`: every RETURN row, as `T ID NUMBER text`
  lines for a log, or as `ID NUMBER text` for a page's banner;
- argument types `alpha_arg(length)` (ALPHA conversion of a numeric key), `states_arg`
  (BDoc states, unknown ones listed), `choice_arg(valid, what)` (case-insensitive enumerated
  values, the valid ones listed);
- `read_json(file, what)`: a JSON file or stdin, errors naming the file, line and column;
- `error_line(exc, client)`: any exception as one line, with T100 texts fetched through the
  client for messages that come only as class and number.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sapgw.gateway import inputs
from sapgw.rfc.message_line import exception_line, headline, row_line, t100_text
from sapgw.rfc.structures import return_rows


class UsageError(Exception):
    """The command line cannot work as given (exit code 2)."""


def fail(text: str, code: int = 1) -> int:
    """Print `sapgw: text` on stderr and give the exit code to return."""
    print(f"sapgw: {text}", file=sys.stderr)
    return code


def failed_return(result: dict[str, Any]) -> str | None:
    """The most specific error of a result's RETURN as `ID NUMBER text`, None if none."""
    best = headline(return_rows(result))
    return row_line(best) if best is not None else None


def return_summary(result: dict[str, Any]) -> str:
    """Every RETURN row as `T ID NUMBER text`, one a line (what `erp call` prints first)."""
    return "\n".join(f"{row.get('TYPE', '')} {row_line(row)}" for row in return_rows(result))


def return_lines(result: dict[str, Any]) -> list[str]:
    """Every RETURN row as `ID NUMBER text` (a page's banner, where the colour is the type)."""
    return [row_line(row) for row in return_rows(result)]


def alpha_arg(length: int) -> Callable[[str], str]:
    """argparse type: a key with SAP's ALPHA conversion (`2` -> `0000000000000002`)."""
    def convert(value: str) -> str:
        return inputs.alpha(value, length)

    convert.__name__ = f"key of {length} characters"
    return convert


def states_arg(value: str) -> str:
    """argparse type: BDoc states, comma-separated; an unknown one lists the valid ones."""
    try:
        return inputs.states("--state", value) or ""
    except inputs.InvalidInput as exc:
        raise argparse.ArgumentTypeError(f"{exc.value!r} is not a BDoc state; {exc.expected}"
                                         ) from None


def choice_arg(valid: Iterable[str], what: str) -> Callable[[str], str]:
    """argparse type: one of `valid` (any case); an unknown value lists them."""
    choices = list(valid)

    def convert(value: str) -> str:
        try:
            return inputs.one_of(what, value, choices)
        except inputs.InvalidInput as exc:
            raise argparse.ArgumentTypeError(f"{value!r} is not a {what}; {exc.expected}"
                                             ) from None

    convert.__name__ = what
    return convert


def read_json(file: str, what: str = "JSON") -> Any:
    """A JSON file (`-`: stdin); a missing or broken file raises UsageError naming it."""
    name = "stdin" if file == "-" else file
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{name}: cannot read it ({exc.strerror or exc})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{name}: not valid JSON at line {exc.lineno} column {exc.colno} "
                         f"({exc.msg}); expected {what}") from None


def error_line(exc: BaseException, client: Any = None) -> str:
    """One line for any error; T100 texts come from the ERP through `client` where needed."""
    lookup = None
    if client is not None and hasattr(client, "rfc"):
        class _Rfc:  # t100_text wants an RfcConnection: the client's rfc() is its call()
            @staticmethod
            def call(function: str, **params: Any) -> dict[str, Any]:
                return client.rfc(function, **params)

        def lookup(msg_class: str, number: str) -> str | None:
            try:
                return t100_text(_Rfc, msg_class, number)
            except Exception:  # the text is a courtesy; the class and number stay
                return None

    from sapgw.gateway.store.bdocs import BDocNotFound  # here: the store costs `serve` 0.4 s

    if isinstance(exc, BDocNotFound):
        return f"BDoc {exc.args[0]} does not exist"
    if isinstance(exc, LookupError | ValueError) and not isinstance(exc, KeyError) and str(exc):
        return str(exc)  # our own refusals say what is wrong in a sentence already
    return exception_line(exc, lookup)
