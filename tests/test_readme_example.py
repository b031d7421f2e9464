"""The README's "whole integration test of your own" runs exactly as printed, in a project of
its own: pyrfc code through --sapgw-pyrfc, a reset, an injected fault and a scenario file."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A whole integration test of your own", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def test_the_readme_example_passes_in_a_project_of_its_own(tmp_path: Path) -> None:
    (tmp_path / "test_my_integration.py").write_text(_example(), encoding="utf-8")
    shutil.copy(ROOT / "examples" / "scenarios" / "scenario_funds.yaml", tmp_path)
    run = subprocess.run([sys.executable, "-m", "pytest", "--sapgw-pyrfc", "-q", "-p",
                          "no:cacheprovider", "-W", "error"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout
