"""Every code block in README.md and docs/*.md works as printed (issue 14).

Each block says what it is in its info string: a language (python, json, yaml, ini, sh, text)
and, where it cannot run by itself, a mark:

- `python fragment`: a piece of a larger module (names defined elsewhere): compiled only;
- `sh norun`: starts a long-running server, installs, or benchmarks for minutes: not run;
- `text`: output, a synopsis or a file tree: nothing to run.

Everything else runs: json/yaml/ini blocks parse; python blocks with `def test_` pass under
pytest in a project of their own (with --sapgw-pyrfc, as the README says), other python blocks
run as scripts; sh blocks run, in the order printed, against a live `sapgw serve` on
temporary databases (localhost:8080 stands for it, `.venv/bin/sapgw` and `sapgw` for this
checkout's command; `<bdoc id>` for the newest failed BDoc), each command exiting 0: the
first block in bash with the real command, the others' plain `sapgw` lines in this process
through the CLI's `main` (~60 s of process starts otherwise), the rest in bash.
"""

from __future__ import annotations

import configparser
import contextlib
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import httpx
import pytest
import yaml

from sapgw.gateway.cli import main
from sapgw.gateway.runtime import DEFAULT_CONFIG, Gateway

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = {"python", "json", "yaml", "ini", "sh", "text"}
MARKS = {"python": {"", "fragment"}, "sh": {"", "norun"}}


class Block(NamedTuple):
    file: str
    line: int
    language: str
    mark: str
    body: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


def _blocks() -> list[Block]:
    found = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"^```([^\n]*)\n(.*?)^```", text, re.S | re.M):
            info = match.group(1).split()
            found.append(Block(str(path.relative_to(ROOT)), text[:match.start()].count("\n") + 1,
                               info[0] if info else "", " ".join(info[1:]), match.group(2)))
    return found


BLOCKS = _blocks()


def _of(language: str, mark: str = "") -> list[Block]:
    return [b for b in BLOCKS if b.language == language and b.mark == mark]


def test_every_block_says_what_it_is() -> None:
    assert len(BLOCKS) > 50
    wrong = [f"{b} ```{b.language} {b.mark}" for b in BLOCKS if b.language not in LANGUAGES
             or b.mark not in MARKS.get(b.language, {""})]
    assert not wrong, "blocks without a known language or mark: " + ", ".join(wrong)


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.language in ("json", "yaml", "ini")],
                         ids=str)
def test_data_blocks_parse(block: Block) -> None:
    if block.language == "json":
        json.loads(block.body)
    elif block.language == "yaml":
        yaml.safe_load(block.body)
    else:
        configparser.ConfigParser(interpolation=None).read_string(block.body)


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.language == "python"], ids=str)
def test_python_blocks_compile(block: Block) -> None:
    compile(block.body, str(block), "exec")


def _project(tmp_path: Path) -> Path:
    """A directory of one's own with the example files the blocks name."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    for example in (ROOT / "examples" / "scenarios").iterdir():
        shutil.copy(example, tmp_path)
    return tmp_path


@pytest.mark.parametrize("block", [b for b in _of("python") if "def test_" not in b.body],
                         ids=str)
def test_python_scripts_run(block: Block, tmp_path: Path) -> None:
    script = _project(tmp_path) / "example.py"
    script.write_text(block.body, encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, f"{block}:\n{run.stdout}{run.stderr}"


def test_python_tests_pass(tmp_path: Path) -> None:
    tests = [b for b in _of("python") if "def test_" in b.body]
    assert len(tests) >= 4
    project = _project(tmp_path)
    for i, block in enumerate(tests):
        (project / f"test_block_{i}.py").write_text(block.body, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", "--sapgw-pyrfc", "-q", "-p",
                          "no:cacheprovider", "-W", "error"], cwd=project,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, "\n".join(str(b) for b in tests) + "\n" + run.stdout + run.stderr


@pytest.fixture
def served(sapgw: Gateway, sapgw_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
           ) -> tuple[str, Gateway, dict[str, str]]:
    """A live server on temporary databases, and the environment of commands that use them
    (set in this process too, for the commands run in it)."""
    bin_dir = _project(tmp_path) / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    command = bin_dir / "sapgw"
    command.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m sapgw.gateway.cli "$@"\n')
    command.chmod(0o755)
    own = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "SAPGW_CONFIG": str(DEFAULT_CONFIG), "SAPGW_DB_URL": sapgw.settings.db_url,
           "SAPGW_ERP_DB_URL": sapgw.settings.erp_db_url, "SAPGW_PASSWORD": "x"}
    for name, value in own.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    return sapgw_server, sapgw, {**os.environ, **own}


SAPGW = ("sapgw", ".venv/bin/sapgw")


def commands(script: str) -> list[str]:
    """The block's commands, one per line, a quoted argument that spans lines kept whole."""
    found, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        try:
            words = shlex.split(pending, comments=True)
        except ValueError:  # a quote not closed yet: the command goes on
            continue
        if words:
            found.append(pending)
        pending = ""
    assert not pending.strip(), f"an unclosed quote in {pending!r}"
    return found


def sapgw_arguments(command: str, env: dict[str, str], cwd: Path) -> list[str] | None:
    """The arguments of a `sapgw ...` command without pipe, list or redirection, as bash
    expands them (quotes, globs, variables; bash itself is started, not the command); None
    for any other command."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    words = list(lexer)
    if not words or words[0] not in SAPGW or any(set(w) <= set("();<>|&") for w in words):
        return None
    expanded = subprocess.run(["bash", "-c", f"words() {{ printf '%s\\0' \"$@\"; }}\n"
                                             f"words {command}"],
                              cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return expanded.stdout.split("\0")[1:-1]


def run_command(command: str, env: dict[str, str], cwd: Path
                ) -> subprocess.CompletedProcess[str]:
    """A command of a block: `sapgw` through the CLI's `main` in this process (a process
    per command costs its imports and a gateway's start), anything else in bash."""
    argv = sapgw_arguments(command, env, cwd)
    if argv is None:
        return subprocess.run(["bash", "-e", "-c", command], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=300)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: usage errors
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def test_block_commands_are_read_as_bash_reads_them(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").touch()
    (tmp_path / "b.yaml").touch()
    script = ("sapgw smq1        # SYSFAIL; with the error\n\n"
              "sapgw erp call F '{\"A\": [1,\n  2]}' --where \"X = '1'\"\n"
              "sapgw scenario check *.yaml\ncurl -s $HOME | cat\nsapgw smq1 > out.txt\n")
    found = commands(script)
    env = {**os.environ, "HOME": "/home"}
    assert [sapgw_arguments(c, env, tmp_path) for c in found] == [
        ["smq1"], ["erp", "call", "F", '{"A": [1,\n  2]}', "--where", "X = '1'"],
        ["scenario", "check", "a.yaml", "b.yaml"], None, None]


@pytest.mark.server
def test_shell_blocks_run_against_a_server(served: tuple[str, Gateway, dict[str, str]],
                                           tmp_path: Path) -> None:
    """Each block's commands in order; the first block as printed, in bash with the real
    command (`.venv/bin/sapgw`, a process of its own), the others' `sapgw` lines in this
    process through `main`, as the console script calls it."""
    url, gateway, env = served
    address = url.split("//", 1)[1]
    blocks = _of("sh")
    assert len(blocks) >= 10
    assert blocks[0].body.startswith(SAPGW[1]), "the first block starts the real command"
    for number, block in enumerate(blocks):
        httpx.post(f"{url}/api/idle", json={"timeout": 60}, timeout=90)
        failed = gateway.bdocs_list(state="E04,E06")["items"]
        script = (block.body.replace("localhost:8080", address)
                  .replace("127.0.0.1:8080", address)
                  .replace("<bdoc id>", failed[0]["bdoc_id"] if failed else "<bdoc id>"))
        for command in [script] if number == 0 else commands(script):
            run = (subprocess.run(["bash", "-e", "-c", command], cwd=tmp_path, env=env,
                                  capture_output=True, text=True, timeout=300)
                   if number == 0 else run_command(command, env, tmp_path))
            assert run.returncode == 0, f"{block}:\n{command}\n{run.stdout}{run.stderr}"
            assert "Traceback" not in run.stderr, block


def test_make_run_takes_port_and_host() -> None:
    """`make run PORT=8090` as the README prints it (make -n: only what it would run)."""
    run = subprocess.run(["make", "-n", "run", "PORT=8090", "HOST=127.0.0.2"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert "serve --host 127.0.0.2 --port 8090" in run.stdout, run.stdout + run.stderr
