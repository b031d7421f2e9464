"""Rule: commands that print an ERP log show RETURN through cli_support (docs/CONTRACT.md,
"CLI rules"): every row as `T ID NUMBER text`, the exit code from the headline error, and a
refusal as `sapgw: ID NUMBER text` with container messages (RW 609) skipped.

The commands run against a client that answers one canned RESULT, the same `rfc(function,
**params)` the local and HTTP clients offer, so the test sees exactly what a person reads.
"""

from __future__ import annotations

import argparse
from typing import Any

import pytest

from sapgw.gateway import cats_cli, ke24, period_end_cli
from sapgw.gateway.cli_support import failed_return, return_lines, return_summary

CONTAINER = {"TYPE": "E", "ID": "RW", "NUMBER": "609", "MESSAGE": "Error in document: X"}
CAUSE = {"TYPE": "E", "ID": "KD", "NUMBER": "904", "MESSAGE": "Order 999999 does not exist"}
DONE = {"TYPE": "S", "ID": "KD", "NUMBER": "5", "MESSAGE": "Settled"}
ABORT = {"TYPE": "A", "ID": "LR", "NUMBER": "950", "MESSAGE": "Transfer cancelled"}


class AnsweringClient:
    """A CLI client whose every RFC call answers `result` (and remembers the function)."""

    def __init__(self, result: dict[str, Any]) -> None:
        self.result = result
        self.called: list[str] = []

    def rfc(self, function: str, **_params: Any) -> dict[str, Any]:
        self.called.append(function)
        return self.result


class Shown:
    """The `show` callback of the CLI: keeps the text a terminal would get."""

    def __init__(self) -> None:
        self.text = ""

    def __call__(self, _data: Any, text: str) -> None:
        self.text = text


def test_the_helpers_keep_every_row_and_head_with_the_cause() -> None:
    result = {"RETURN": [CONTAINER, CAUSE, DONE]}
    assert return_summary(result).splitlines() == [
        "E RW 609 Error in document: X", "E KD 904 Order 999999 does not exist",
        "S KD 005 Settled"]
    assert return_lines(result)[1:] == ["KD 904 Order 999999 does not exist", "KD 005 Settled"]
    assert failed_return(result) == "KD 904 Order 999999 does not exist"
    assert return_lines({"RETURN": {"TYPE": "", "ID": "", "NUMBER": "000", "MESSAGE": ""}}) == []


@pytest.mark.parametrize(("rows", "code"), [([DONE], 0), ([CONTAINER, CAUSE], 1), ([ABORT], 1)])
def test_period_end_log_and_exit_code(rows: list[dict[str, str]], code: int) -> None:
    client, shown = AnsweringClient({"RETURN": rows, "LINES": []}), Shown()
    args = argparse.Namespace(erp_command="ko88", order="999999", period="2026/11",
                              test=False, reverse=False)
    assert period_end_cli.run(args, client, shown) == code
    assert client.called == ["ZKO_SETTLE_ORDER"]
    assert shown.text.split("\n\n")[0] == return_summary({"RETURN": rows})


def test_period_end_refuses_a_bad_period_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(erp_command="kkai", area="1000", period="11/2026", test=False)
    assert period_end_cli.run(args, AnsweringClient({}), Shown()) == 2
    assert capsys.readouterr().err == "sapgw: --period '11/2026' is not YYYY/PP\n"


@pytest.mark.parametrize(("rows", "code"), [([DONE], 0), ([ABORT], 1)])
def test_cat7_log_and_exit_code(rows: list[dict[str, str]], code: int) -> None:
    shown = Shown()
    assert cats_cli.run(argparse.Namespace(erp_command="cat7", test=True),
                        AnsweringClient({"RETURN": rows, "RESULTS": []}), shown) == code
    assert shown.text == return_summary({"RETURN": rows})


def test_ke24_prints_the_headline_of_a_refusal(capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(record_type="", period="", customer="", order="",
                              sales_order="")
    answer = {"RETURN": [CONTAINER, CAUSE], "LINE_ITEMS": [], "VALUE_FIELDS": []}
    assert ke24.run(args, AnsweringClient(answer), Shown()) == 1
    assert capsys.readouterr().err == "sapgw: KD 904 Order 999999 does not exist\n"

    shown = Shown()
    answer = {"RETURN": [{**DONE, "ID": "KE", "NUMBER": "914", "MESSAGE": "No line items"}],
              "LINE_ITEMS": [], "VALUE_FIELDS": []}
    assert ke24.run(args, AnsweringClient(answer), shown) == 0
    assert shown.text == "(no line items)\nKE 914 No line items"
