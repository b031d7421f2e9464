"""Isolation as users reach it: REST with roles and audit, the CLI, the pytest plugin."""

import base64
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from sapgw.gateway.api.app import create_app
from sapgw.gateway.runtime import Gateway
from tests.isolation.conftest import read
from tests.monitor.test_auth import ALICE, BOB, users_config
from tests.scenarios.conftest import trade_promotion
from tests.scenarios.test_cli import sapgw as run_cli

ROOT = Path(__file__).resolve().parents[2]


def basic(user: tuple[str, str]) -> dict[str, str]:
    return {"authorization": "Basic " + base64.b64encode(":".join(user).encode()).decode()}


# `sapgw` with [auth] users, for the tests marked so (the others here run without)
with_users = pytest.mark.parametrize("sapgw_overrides", [{"auth": {
    "users": users_config(), "secret": "a-test-secret-of-some-length"}}], ids=["users"])


@pytest.fixture
def secured(sapgw: Gateway) -> Iterator[tuple[Gateway, TestClient]]:
    """`sapgw` (with users: the test is marked `with_users`) and a client of its app."""
    with TestClient(create_app(sapgw, run_schedulers=False)) as client:
        yield sapgw, client


@with_users
def test_rest_needs_the_admin_role_and_audits(secured) -> None:
    gateway, client = secured
    gateway.send("CRM_MKTPL", trade_promotion()["data"])
    for method, path in (("post", "/api/admin/reset"), ("get", "/api/admin/snapshots"),
                         ("post", "/api/admin/snapshots"), ("get", "/api/admin/states")):
        answer = getattr(client, method)(path, headers=basic(BOB),
                                         **({"json": {"name": "x"}} if method == "post" else {}))
        assert answer.status_code == 403, (path, answer.text)
        assert "admin" in answer.json()["message"]
    saved = client.post("/api/admin/snapshots", json={"name": "one"}, headers=basic(ALICE))
    assert saved.status_code == 201 and saved.json()["erp"]["rows"] > 0
    assert saved.json()["RAR"]["label"] == "rar"  # every local system, by destination name
    listed = client.get("/api/admin/snapshots", headers=basic(ALICE)).json()
    assert [s["name"] for s in listed] == ["one"] and listed[0]["RAR"]["rows"] > 0
    reset = client.post("/api/admin/reset", json={}, headers=basic(ALICE))
    assert reset.status_code == 200 and reset.json()["state"] == "demo"
    assert reset.json()["RAR"]["rows"] > 0
    assert gateway.bdocs_list()["items"] == []
    restored = client.post("/api/admin/snapshots/one/restore", headers=basic(ALICE))
    assert restored.status_code == 200 and len(gateway.bdocs_list()["items"]) == 1
    audit = client.get("/api/audit", headers=basic(ALICE)).json()
    entries = audit if isinstance(audit, list) else audit.get("entries", audit)
    actions = [(e["user"], e["action"], e["object_type"], e["object_id"]) for e in entries]
    assert ("alice", "restore", "SYSTEM", "one") in actions
    assert ("alice", "reset", "SYSTEM", "demo") in actions  # the audit log survives a reset
    assert client.delete("/api/admin/snapshots/one", headers=basic(ALICE)).json() == {
        "deleted": True, "name": "one"}


@with_users
def test_rest_refusals_say_why(secured) -> None:
    gateway, client = secured
    gateway.send("CRM_MKTPL", trade_promotion()["data"])
    queue = gateway.queue_store.claim("in", "w1:1:a", 60, {})
    refused = client.post("/api/admin/reset", json={"state": None}, headers=basic(ALICE))
    assert refused.status_code == 409
    assert refused.json() == {"error": "RESTORE_REFUSED", "message": refused.json()["message"]}
    assert f"worker w1:1:a holds gateway queue {queue}" in refused.json()["message"]
    missing = client.post("/api/admin/snapshots/none/restore", headers=basic(ALICE))
    assert missing.status_code == 404 and "does not exist" in missing.json()["message"]
    bad = client.post("/api/admin/snapshots", json={"name": "A B"}, headers=basic(ALICE))
    assert bad.status_code == 400 and "not allowed" in bad.json()["message"]
    audit = client.get("/api/audit", headers=basic(ALICE)).json()
    entries = audit if isinstance(audit, list) else audit.get("entries", audit)
    assert any(e["action"] == "reset" and e["outcome"].startswith("refused: reset refused")
               for e in entries)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.ini"
    shutil.copy(ROOT / "config.ini", path)
    (tmp_path / "states" / "renamed").mkdir(parents=True)
    (tmp_path / "states" / "renamed" / "fbas.toml").write_text(
        '[company_codes.1000]\nname = "State AG"\n')
    text = path.read_text().replace("states_dir =", "states_dir = states")
    path.write_text(text)
    return path


def sapgw(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(config, *args, check=False)


def test_cli_reset_snapshot_restore(config: Path, tmp_path: Path) -> None:
    promotion = tmp_path / "tpm.json"
    promotion.write_text(json.dumps(trade_promotion()))
    assert sapgw(config, "send", str(promotion), "--wait").returncode == 0
    saved = sapgw(config, "snapshot", "save", "after-tpm")
    assert saved.returncode == 0, saved.stderr
    assert saved.stdout.startswith("snapshot after-tpm saved: gateway ")
    assert "; ERP " in saved.stdout and "; RAR " in saved.stdout, saved.stdout
    assert (tmp_path / "var" / "snapshots" / "after-tpm" / "erp.db").is_file()
    assert (tmp_path / "var" / "snapshots" / "after-tpm" / "rar.db").is_file()
    listed = json.loads(sapgw(config, "snapshot", "list", "--json").stdout)
    assert [s["name"] for s in listed] == ["after-tpm"] and listed[0]["RAR"]["rows"] > 0
    reset = sapgw(config, "reset", "renamed")
    assert reset.returncode == 0 and reset.stdout.startswith("reset to renamed:"), reset.stderr
    with Gateway.open(config) as gateway:
        assert gateway.bdocs_list()["items"] == []
        assert read(gateway, "T001", ["BUTXT"], "BUKRS = '1000'") == [{"BUTXT": "State AG"}]
    assert sapgw(config, "snapshot", "restore", "after-tpm").returncode == 0
    with Gateway.open(config) as gateway:
        assert len(gateway.bdocs_list()["items"]) == 1
        assert read(gateway, "T001", ["BUTXT"], "BUKRS = '1000'") == [{"BUTXT": "Demo AG"}]
    unknown = sapgw(config, "snapshot", "restore", "never-saved")
    assert unknown.returncode == 1 and "does not exist" in unknown.stderr
    bad = sapgw(config, "snapshot", "save", "Bad Name")
    assert bad.returncode == 2 and "not allowed" in bad.stderr
    assert sapgw(config, "snapshot", "delete", "after-tpm").returncode == 0
    assert "(no snapshots)" in sapgw(config, "snapshot", "list").stdout


def test_cli_refuses_while_a_worker_holds_a_lease(config: Path) -> None:
    with Gateway.open(config) as gateway:
        gateway.send("CRM_MKTPL", trade_promotion()["data"])
        queue = gateway.queue_store.claim("in", "busy:1:w", 60, {})
    refused = sapgw(config, "reset")
    assert refused.returncode == 1
    assert f"worker busy:1:w holds gateway queue {queue} (inbound)" in refused.stderr


@pytest.mark.sapgw_state(str(Path(__file__).with_name("states") / "renamed"))
def test_plugin_marker_starts_from_a_named_state(sapgw: Gateway) -> None:
    assert read(sapgw, "T001", ["BUTXT"], "BUKRS = '1000'") == [{"BUTXT": "Marker AG"}]


def test_plugin_admin_fixture_resets_the_tests_gateway(sapgw: Gateway, sapgw_admin) -> None:
    sapgw.send("CRM_MKTPL", trade_promotion()["data"])
    sapgw_admin.snapshot("mine")
    sapgw_admin.reset()
    assert sapgw.bdocs_list()["items"] == []
    sapgw_admin.restore("mine")
    assert len(sapgw.bdocs_list()["items"]) == 1


def test_plugin_admin_fixture_over_rest(sapgw_server: str, sapgw: Gateway,
                                        monkeypatch: pytest.MonkeyPatch,
                                        request: pytest.FixtureRequest) -> None:
    monkeypatch.setenv("SAPGW_URL", sapgw_server)
    admin = request.getfixturevalue("sapgw_admin")
    sapgw.send("CRM_MKTPL", trade_promotion()["data"])
    sapgw.wait_until_idle()
    admin.snapshot("remote")
    assert admin.reset()["state"] == "demo"
    assert sapgw.bdocs_list()["items"] == []
    assert admin.restore("remote")["snapshot"] == "remote"
    assert [s["name"] for s in admin.snapshots()] == ["remote"]
