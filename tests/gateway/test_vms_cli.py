"""`sapgw erp vehicle create|action|show` in-process (the CLI's parser and dispatch on a
LocalClient): the RETURN rows, the exit codes, and the vehicle reaching the CDB."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sapgw.gateway.cdb import iobjects
from sapgw.gateway.cli import build_parser, dispatch
from sapgw.gateway.client import LocalClient
from sapgw.gateway.runtime import Gateway

VIN = "WDB1240821A123456"


@pytest.fixture
def gw() -> Iterator[Gateway]:
    with Gateway.in_memory() as gateway:
        yield gateway


def sapgw(gw: Gateway, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = dispatch(build_parser().parse_args(["erp", "vehicle", *args]), LocalClient(gw))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_create_export_to_crm_and_show(gw: Gateway, capsys: pytest.CaptureFixture[str]):
    code, out, _ = sapgw(gw, capsys, "create", VIN.lower(), "--model", "VLC-ESTATE-E1",
                         "--dealer", "3100", "--config", "COLOR=Silver", "TRIM=Avantgarde")
    assert code == 0 and "S VELO 900 Vehicle 0000000001 (VIN WDB1240821A123456)" in out
    code, out, _ = sapgw(gw, capsys, "action", VIN, "crmv")
    assert code == 0 and "S VELO 913 Vehicle 0000000001 sent to CRM" in out
    gw.run_until_idle()
    with gw.db.read() as conn:
        assert iobjects.vehicle(conn, VIN)["last_action"] == "CRMV"

    code, out, _ = sapgw(gw, capsys, "show", VIN)
    assert code == 0
    assert "status PLAN" in out and "Silver" in out and "CRMV" in out and "Avantgarde" in out


def test_errors_exit_1_with_the_message_and_bad_input_2(
        gw: Gateway, capsys: pytest.CaptureFixture[str]):
    code, _, err = sapgw(gw, capsys, "action", VIN, "CRMV")
    assert code == 1 and err.strip() == f"sapgw: VELO 902 Vehicle with VIN {VIN} does not exist"
    code, _, err = sapgw(gw, capsys, "show", VIN)
    assert code == 1 and "VELO 902" in err
    sapgw(gw, capsys, "create", VIN, "--model", "VLC-ESTATE-E1")
    code, _, err = sapgw(gw, capsys, "action", VIN, "CRMS")
    assert code == 1 and "VELO 905 Action CRMS is not allowed for vehicle 0000000001 in " \
                         "status PLAN" in err
    with pytest.raises(SystemExit) as usage:
        build_parser().parse_args(["erp", "vehicle", "create", VIN, "--model", "X",
                                   "--config", "COLOR"])
    assert usage.value.code == 2
