"""The import rules of docs/ARCHITECTURE.md, checked on the source: arrows only downward.

Every `import` in src/sapgw counts, also those inside functions and under TYPE_CHECKING: an
upward import anywhere is a layering error waiting to become a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"

# Layer of each top-level part of sapgw, lowest first: a module may import its own layer and
# the ones below it, never one above. Parts of one layer may not import each other.
LAYERS: list[set[str]] = [
    {"driver_statement"},  # run on the driver; db.fetch and Database.peek use it
    {"types", "clock", "db", "driver_insert"},
    {"rfc", "idoc_schemas", "snapshots"},
    {"qrfc"},
    {"pyrfc"},
    {"erp_stub", "bdoc"},
    {"adapters"},
    {"gateway"},
    {"pytest_plugin"},
]
# Apart from the layers: the ERP stub imports nothing of the CRM side, and the CRM side reaches
# the ERP stub only through a destination (the import path in config.ini), never by import.
FORBIDDEN: dict[str, set[str]] = {
    "erp_stub": {"gateway", "adapters", "bdoc"},
    "gateway": {"erp_stub"},
    "adapters": {"erp_stub"},
    "bdoc": {"erp_stub"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) of every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" \
        else _module_name(path)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            # `from sapgw.erp_stub.fi import api` imports the module sapgw.erp_stub.fi.api
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return [(line, name) for line, name in found if name.startswith("sapgw.")]


def _sources() -> list[Path]:
    return sorted((SRC / "sapgw").rglob("*.py"))


def _part(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else ""


def layering_errors(sources: list[Path]) -> list[str]:
    layer_of = {part: i for i, layer in enumerate(LAYERS) for part in layer}
    errors = []
    for path in sources:
        module = _module_name(path)
        own = _part(module)
        for line, imported in _imports(path):
            other = _part(imported)
            where = f"{path.relative_to(SRC)}:{line} imports {imported}"
            if other == own or other not in layer_of:
                continue
            if own not in layer_of:
                errors.append(f"{path.relative_to(SRC)}: part {own!r} has no layer in LAYERS")
                break
            if layer_of[other] >= layer_of[own] or other in FORBIDDEN.get(own, ()):
                errors.append(f"{where}: {own} may not import {other}")
    return errors


# The modules that list a system's applications: the ERP (applications.py) and the
# Revenue Accounting system (rar_system.py: basis + farr, a second system of its own).
SYSTEMS = ("applications", "rar_system")


def application_errors(sources: list[Path]) -> list[str]:
    """Inside the ERP stub: the kernel names no application; an application reaches another
    only through that one's `api` module; only `erp_stub/applications.py` (the list of a
    system's applications) and `erp_stub/__init__.py` import declarations."""
    errors = []
    for path in sources:
        module = _module_name(path)
        if not module.startswith("sapgw.erp_stub."):
            continue
        parts = module.split(".")
        own = parts[2]
        for line, imported in _imports(path):
            if not imported.startswith("sapgw.erp_stub."):
                continue
            target = imported.split(".")
            other = target[2]
            where = f"{path.relative_to(SRC)}:{line} imports {imported}"
            if other in (own, "kernel") or len(target) < 4:
                continue
            if own == "kernel":
                errors.append(f"{where}: the kernel names no application")
            elif own in SYSTEMS and target[3] == "application":
                continue
            elif target[3] != "api":
                errors.append(f"{where}: use {'.'.join(target[:3])}.api, not its internals")
    return errors


def test_arrows_only_downward() -> None:
    assert layering_errors(_sources()) == []


def test_applications_meet_only_through_their_api() -> None:
    assert application_errors(_sources()) == []


def test_no_cycle_between_applications() -> None:
    edges: dict[str, set[str]] = {}
    for path in _sources():
        parts = _module_name(path).split(".")
        if len(parts) < 4 or parts[1] != "erp_stub" or parts[2] in ("kernel",):
            continue
        for _, imported in _imports(path):
            target = imported.split(".")
            if len(target) >= 4 and target[1] == "erp_stub" and target[3] == "api" \
                    and target[2] != parts[2]:
                edges.setdefault(parts[2], set()).add(target[2])

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
                   for nxt in edges.get(start, ()))

    assert [app for app in edges if reaches(app, app, set())] == []


@pytest.mark.parametrize(("path", "source", "error"), [
    ("sapgw/erp_stub/fi/x.py", "from sapgw.gateway.runtime import Gateway\n",
     "erp_stub may not import gateway"),
    ("sapgw/erp_stub/fi/x.py", "from sapgw.erp_stub.co.tables import AUFK\n",
     "use sapgw.erp_stub.co.api, not its internals"),
    ("sapgw/erp_stub/kernel/x.py", "from sapgw.erp_stub.fi import api\n",
     "the kernel names no application"),
    ("sapgw/rfc/x.py", "def f():\n    from sapgw.bdoc.states import BDocState\n",
     "rfc may not import bdoc"),
    ("sapgw/gateway/x.py", "import sapgw.erp_stub.applications\n",
     "gateway may not import erp_stub"),
])
def test_an_upward_import_is_caught(tmp_path: Path, path: str, source: str, error: str,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules fail when someone adds such an import (the checks cannot pass vacuously)."""
    file = tmp_path / path
    file.parent.mkdir(parents=True)
    file.write_text(source)
    monkeypatch.setitem(globals(), "SRC", tmp_path)
    errors = layering_errors([file]) + application_errors([file])
    assert any(error in e for e in errors), errors
