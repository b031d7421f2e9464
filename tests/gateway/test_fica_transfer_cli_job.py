"""FP_RAI_TRANSF where a person starts it: `sapgw erp fp_rai_transf` (the log per item type,
the units queued, exit 1 on an error) and the background job [job FP_RAI_TRANSF] of
config.ini (disabled there, enabled here)."""

from __future__ import annotations

import configparser
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sapgw.clock import Clock
from sapgw.gateway.cli import main
from sapgw.gateway.runtime import Gateway
from tests.erp_stub.fica_support import bit, bits, contract_with_items, read

ROOT = Path(__file__).resolve().parents[2]


def data(gw: Gateway) -> None:
    """PC-1 with two items and a one-off fee, over RFC."""
    conn = gw.local_erp().connect()
    vkont = contract_with_items(conn)[1]
    bits(conn, bit("FEE-1", vkont, "19.99", "ONCE", VTPOS="10"))


@pytest.fixture
def cli(cli: Gateway) -> Gateway:
    """The gateway as the command finds it (tests/gateway/conftest.py), with PC-1's data."""
    data(cli)
    return cli


def test_the_command_prints_the_log_and_exits_1_on_an_error(
        cli: Gateway, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["erp", "fp_rai_transf", "--test", "--type", "caoi,CABO"]) == 0
    out = capsys.readouterr().out
    assert "S FKK_CI 008 Test run: nothing was saved" in out
    assert "PC-1" in out and "FEE-1" in out and "/1RA/CA01_RAI_CREATE_API" in out

    assert main(["erp", "fp_rai_transf", "--bukrs", "1000"]) == 0
    out = capsys.readouterr().out
    assert "Contract order items (CAOI): 2 items queued for RAR in 1 units" in out
    assert "FKKRAI_1000" in out
    assert "CAOI" in out.split("Item type")[1]  # the log table comes first

    with pytest.raises(SystemExit) as bad:
        main(["erp", "fp_rai_transf", "--type", "CAXX"])
    assert bad.value.code == 2
    assert "'CAXX' is not a source item type" in capsys.readouterr().err

    _switch_off(cli)
    assert main(["erp", "fp_rai_transf"]) == 1
    assert capsys.readouterr().err.strip() == (
        "sapgw: FKK_CI 063 Revenue accounting integration is not active (TFKRA_ACT, area C)")


def _switch_off(gw: Gateway) -> None:
    from sapgw.erp_stub.fica.customizing import TFKRA_ACT
    from sapgw.erp_stub.kernel.context import CallContext
    from sapgw.erp_stub.kernel.luw import Luw

    ctx = CallContext(gw.local_erp(), Luw())
    ctx.update(TFKRA_ACT, {"APPLK": "C"}, {"XACTIVE": ""})
    ctx.commit()


def job(name: str) -> dict[str, str]:
    config = configparser.ConfigParser(inline_comment_prefixes=(";",))
    config.read(ROOT / "config.ini", encoding="utf-8")
    return {**dict(config[f"job {name}"]), "enabled": "yes"}


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    with Gateway.in_memory(clock=Clock(frozen_at=datetime(2026, 11, 22, 3, 0, tzinfo=UTC)),
                           overrides={"job FP_RAI_TRANSF": job("FP_RAI_TRANSF")}) as gw:
        yield gw


def test_the_background_job_transfers(gateway: Gateway) -> None:
    assert job("FP_RAI_TRANSF")["function"] == "FKK_RAI_TRANSFER"
    data(gateway)
    run = gateway.jobs.run_now("FP_RAI_TRANSF")
    assert (run["status"], run["errors"]) == ("F", 0)
    assert [m["number"] for m in run["log"]] == ["061"] * 4
    conn = gateway.local_erp().connect()
    assert read(conn, "DFKKRA_RAI_MI", ["RAI_ID"], "SENTTS = 0") == []
