"""Rules every `sapgw` command keeps (issue 14), checked by walking the parser, not by listing
commands: a command added later is checked without a line here.

- a bad option is reported with the usage of the subcommand it was given to, exit 2;
- an argument value that cannot work names the argument and the valid values, exit 2;
- input files and keys are checked at the door (file name, what was expected, ALPHA);
- errors reach the user as one line `sapgw: ...`, never a traceback.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sapgw.gateway.cli import build_parser, main
from sapgw.gateway.runtime import Gateway


def _leaves(parser: argparse.ArgumentParser, path: list[str]
            ) -> Iterator[tuple[list[str], argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
    for action in subs:
        for name, child in action.choices.items():
            yield from _leaves(child, [*path, name])


COMMANDS = list(_leaves(build_parser(), []))


def test_the_walk_finds_the_commands() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"send", "smw01", "smq1", "erp read-table", "erp call", "idoc show"} <= names
    assert len(names) > 40


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_a_bad_option_shows_the_subcommands_usage(
        path: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main([*path, "--no-such-option"])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: sapgw {' '.join(path)}"), err
    assert "Traceback" not in err


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_an_unknown_filter_value_lists_the_valid_ones(
        cli: Gateway, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["smw01", "--state", "E99"], capsys)
    assert code == 2 and "E99" in err and "E06" in err and "usage: sapgw smw01" in err
    code, _, err = _run(["smw01", "--limit", "abc"], capsys)
    assert code == 2 and "'abc' is not a whole number" in err
    assert _run(["smw01", "--state", "e06,E04"], capsys)[0] == 0
    code, _, err = _run(["smw01", "--type", "NOPE"], capsys)
    assert code != 0 and "NOPE" in err and "CRM_FM_FU" in err


def test_send_checks_the_file(cli: Gateway, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    cases = {"broken.json": ('{"type": ', "broken.json: not valid JSON at line 1"),
             "bare.json": ('{"HEADER": {"FPO_ID": "F1"}}', 'bare.json: expected a BDoc as'),
             "list.json": ("[1]", "not an object"),
             "nodata.json": ('{"type": "CRM_FM_FPO"}', '"data" is missing')}
    for name, (content, expected) in cases.items():
        (tmp_path / name).write_text(content)
        code, _, err = _run(["send", str(tmp_path / name)], capsys)
        assert code == 2 and expected in err, (name, err)
    code, _, err = _run(["send", str(tmp_path / "missing.json")], capsys)
    assert code == 2 and "missing.json: cannot read it" in err
    code, _, err = _run(["send", str(tmp_path / "list.json"), "--bogus"], capsys)
    assert code == 2 and "usage: sapgw send" in err


def test_keys_get_leading_zeros_and_errors_their_text(
        cli: Gateway, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["idoc", "show", "2"], capsys)
    assert code == 1 and "IDoc 0000000000000002 does not exist" in err
    code, _, err = _run(["erp", "iaomc", "1791/10"], capsys)
    assert code == 1 and "00000000000000001791/10" in err and err.startswith("sapgw: IAOM ")
    code, _, err = _run(["smw01", "NOSUCHBDOC"], capsys)
    assert (code, err.strip()) == (1, "sapgw: BDoc NOSUCHBDOC does not exist")
    code, _, err = _run(["erp", "call", "RFC_READ_TABLE", "{QUERY_TABLE: T001}"], capsys)
    assert code == 2 and "params: not valid JSON" in err


def test_erp_call_prints_return_first_and_fails_on_an_error(
        cli: Gateway, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["erp", "call", "BAPI_PROJECT_GETINFO",
                         json.dumps({"PROJECT_DEFINITION": "NOPE"})], capsys)
    assert code == 1
    assert out.startswith("RETURN\nE ") and "NOPE" in out.splitlines()[1]


def test_read_table_typed_rows(cli: Gateway, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["erp", "read-table", "T001", "--typed", "--json", "--fields",
                         "BUKRS,WAERS"], capsys)
    assert code == 0 and json.loads(out)[0] == {"BUKRS": "1000", "WAERS": "EUR"}


def test_the_shared_argument_types() -> None:
    """What new commands use (gateway/cli_support.py): values checked by argparse itself."""
    from sapgw.gateway.cli_support import alpha_arg, choice_arg

    parser = argparse.ArgumentParser(prog="sapgw erp x", exit_on_error=False)
    parser.add_argument("--kind", type=choice_arg(["ACCRUAL", "REVERSAL"], "posting type"))
    parser.add_argument("order", type=alpha_arg(12))
    args = parser.parse_args(["--kind", "accrual", "1"])
    assert (args.kind, args.order) == ("ACCRUAL", "000000000001")
    with pytest.raises(argparse.ArgumentError, match="valid values: ACCRUAL, REVERSAL"):
        parser.parse_args(["--kind", "X", "1"])
