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
checkout's command; `<bdoc id>` for the newest failed BDoc), each block exiting 0.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import httpx
import pytest
import yaml

from sapgw.gateway.api.app import create_app
from sapgw.gateway.runtime import DEFAULT_CONFIG, Gateway
from sapgw.pytest_plugin import live_server

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
def served(tmp_path: Path) -> Iterator[tuple[str, Gateway, dict[str, str]]]:
    """A live server on temporary databases, and the environment of commands that use them."""
    gateway = Gateway.in_memory()
    bin_dir = _project(tmp_path) / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    command = bin_dir / "sapgw"
    command.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m sapgw.gateway.cli "$@"\n')
    command.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "SAPGW_CONFIG": str(DEFAULT_CONFIG), "SAPGW_DB_URL": gateway.settings.db_url,
           "SAPGW_ERP_DB_URL": gateway.settings.erp_db_url, "SAPGW_PASSWORD": "x"}
    try:
        with live_server(create_app(gateway)) as url:
            yield url, gateway, env
    finally:
        gateway.close()


@pytest.mark.server
def test_shell_blocks_run_against_a_server(served: tuple[str, Gateway, dict[str, str]],
                                           tmp_path: Path) -> None:
    url, gateway, env = served
    address = url.split("//", 1)[1]
    blocks = _of("sh")
    assert len(blocks) >= 10
    for block in blocks:
        httpx.post(f"{url}/api/idle", json={"timeout": 60}, timeout=90)
        failed = gateway.bdocs_list(state="E04,E06")["items"]
        script = (block.body.replace("localhost:8080", address)
                  .replace("127.0.0.1:8080", address)
                  .replace("<bdoc id>", failed[0]["bdoc_id"] if failed else "<bdoc id>"))
        run = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, f"{block}:\n{script}\n{run.stdout}{run.stderr}"
        assert "Traceback" not in run.stderr, block


def test_make_run_takes_port_and_host() -> None:
    """`make run PORT=8090` as the README prints it (make -n: only what it would run)."""
    run = subprocess.run(["make", "-n", "run", "PORT=8090", "HOST=127.0.0.2"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert "serve --host 127.0.0.2 --port 8090" in run.stdout, run.stdout + run.stderr
