"""pyrfc for the bridge's tests: the fake one (always), or the real one against a test system.

`fake_pyrfc()` imports tests/fake_pyrfc as `pyrfc`: its directory goes first on sys.path and
any pyrfc modules already imported are set aside, all restored afterwards, so the fake runs
even where the real pyrfc is installed. `real_pyrfc()` imports the installed pyrfc when
SAPGW_TEST_PYRFC_DEST names a sapnwrfc.ini entry of a test system (the file is found in
SAPGW_TEST_PYRFC_INI_DIR, else where the SDK looks), and skips the test saying why not.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest

from sapgw.gateway.rfc.pyrfc_destination import PyrfcMissing, load_pyrfc

FAKE_DIR = Path(__file__).resolve().parents[1] / "fake_pyrfc"
REAL_DEST_ENV = "SAPGW_TEST_PYRFC_DEST"
REAL_INI_ENV = "SAPGW_TEST_PYRFC_INI_DIR"


def _pyrfc_modules() -> list[str]:
    return [name for name in sys.modules if name == "pyrfc" or name.startswith("pyrfc.")]


@contextmanager
def fake_pyrfc() -> Iterator[ModuleType]:
    """The fake package imported as `pyrfc`, with no systems registered yet."""
    saved = {name: sys.modules.pop(name) for name in _pyrfc_modules()}
    sys.path.insert(0, str(FAKE_DIR))
    try:
        module = importlib.import_module("pyrfc")
        assert Path(module.__file__ or "").parent.parent == FAKE_DIR, module.__file__
        module._fake.reset()
        yield module
    finally:
        sys.path.remove(str(FAKE_DIR))
        for name in _pyrfc_modules():
            del sys.modules[name]
        sys.modules.update(saved)


def real_pyrfc() -> tuple[ModuleType, str]:
    """The installed pyrfc and the test system's destination, or skip with the reason."""
    dest = os.environ.get(REAL_DEST_ENV, "")
    if not dest:
        pytest.skip(f"real SAP system: set {REAL_DEST_ENV} to a sapnwrfc.ini destination of a "
                    "test system (and pip install 'sapgw[rfc]'); see docs/PYRFC.md")
    if any(FAKE_DIR == Path(p).resolve() for p in sys.path if p):
        pytest.skip("real SAP system: the fake pyrfc is on sys.path")
    try:
        module = load_pyrfc()
    except PyrfcMissing as exc:
        pytest.skip(f"real SAP system: {exc}")
    if os.environ.get(REAL_INI_ENV):
        module.set_ini_file_directory(os.environ[REAL_INI_ENV])
    return module, dest
