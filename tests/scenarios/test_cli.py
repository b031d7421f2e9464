"""The `sapgw` command as a person uses it: send, SMW01, SMQ1, reprocess, demo, config check."""

import contextlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sapgw.gateway.audit import AuditedActions
from sapgw.gateway.cli import main
from sapgw.gateway.runtime import Gateway

from .conftest import fund_usage, trade_promotion

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def config(tmp_path) -> Path:
    path = tmp_path / "config.ini"
    shutil.copy(ROOT / "config.ini", path)
    return path


def sapgw(config: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """`sapgw --config CONFIG ARGS` in this process: the function the console script calls,
    its output and exit code captured. A process per command costs ~0.5 s of imports, and
    the suite runs hundreds; `test_the_installed_command_runs` starts the real one."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--config", str(config), *args])
        except SystemExit as exc:  # argparse: usage errors and --help
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    result = subprocess.CompletedProcess(["sapgw", *args], code, out.getvalue(),
                                         err.getvalue())
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_the_installed_command_runs(config: Path) -> None:
    """The entry point itself, in a process of its own, as a person types it."""
    run = subprocess.run([sys.executable, "-m", "sapgw.gateway.cli", "--config", str(config),
                          "smq1"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "(no queues)", run.stdout


def test_send_fail_inspect_repair_reprocess(config, tmp_path):
    fu_file = tmp_path / "fu.json"
    fu_file.write_text(json.dumps(fund_usage(tpm_id="TPM7")))
    waited = sapgw(config, "send", str(fu_file), "--wait", "--json", check=False)
    sent = json.loads(waited.stdout)
    assert sent["state"] == "E06" and waited.returncode == 1  # waiting ends with the reason
    assert "CRM_FM 101 Trade promotion TPM7 of fund usage 1791 is not in ERP" in waited.stderr

    listing = sapgw(config, "smw01", "--state", "E06").stdout
    assert sent["bdoc_id"] in listing and "CRM_FM_FU" in listing
    detail = sapgw(config, "smw01", sent["bdoc_id"]).stdout
    assert "TPM7" in detail and "SYSFAIL" in detail
    queues = sapgw(config, "smq1").stdout
    assert "R3AUFMFU1791" in queues and "SYSFAIL" in queues

    tpm_file = tmp_path / "tpm.json"
    tpm_file.write_text(json.dumps(trade_promotion("TPM7")))
    assert json.loads(sapgw(config, "send", str(tpm_file), "--wait", "--json").stdout)[
        "state"] == "F04"
    sapgw(config, "reprocess", sent["bdoc_id"])
    sapgw(config, "smq1")  # a second process sees the same databases
    sapgw(config, "send", str(tpm_file), "--wait")  # waiting also runs the activated queue
    final = json.loads(sapgw(config, "smw01", sent["bdoc_id"], "--json").stdout)
    assert final["state"] == "F04"
    assert "(no queues)" in sapgw(config, "smq1").stdout
    with Gateway.open(config) as gateway:
        audit = AuditedActions(gateway).entries()
    assert [(a["action"], a["object_id"], a["before"]["state"]) for a in audit] == [
        ("reprocess", sent["bdoc_id"], "E06")]
    assert audit[0]["user"].startswith("cli:")


def test_demo_funds_prints_the_whole_story(config):
    output = sapgw(config, "demo", "funds").stdout
    assert "4 of 4 BDocs confirmed by the ERP (F04)." in output
    assert "OR0000001" in output and "XBLNR FPO" in output


def test_config_check_names_section_and_key(config):
    config.write_text(config.read_text().replace("retry_count = 10", "retry_count = many")
                      .replace("destination = ERP", "destination = NOWHERE"))
    result = sapgw(config, "config", "check", check=False)
    assert result.returncode == 2
    assert "[destination ERP] retry_count: 'many' is not a whole number" in result.stderr
    assert "[site ERP] destination: no [destination NOWHERE] section" in result.stderr


def test_erp_tools_read_table_and_iaomc(config, tmp_path):
    file = tmp_path / "tpm.json"
    file.write_text(json.dumps(trade_promotion("TPM4")))
    sapgw(config, "send", str(file), "--wait")
    rows = json.loads(sapgw(config, "erp", "read-table", "PROJ", "--fields", "PSPID,POST1",
                            "--where", "PSPID = 'TPM4'", "--json").stdout)
    assert rows == [{"PSPID": "TPM4", "POST1": "Summer promotion"}]
    project = sapgw(config, "erp", "cj20n", "TPM4").stdout
    assert "Project TPM4" in project and "TPM4.01" in project
    missing = sapgw(config, "erp", "iaomc", "00000000000000000001/10", check=False)
    assert missing.returncode == 1 and missing.stderr.strip()


def test_serve_refuses_a_non_loopback_address_without_auth(config):
    result = sapgw(config, "serve", "--host", "0.0.0.0", check=False)
    assert result.returncode == 2
    assert "loopback" in result.stderr
