"""Fixtures of the gateway tests."""

import pytest

from sapgw.gateway.runtime import DEFAULT_CONFIG, Gateway


@pytest.fixture
def cli(sapgw: Gateway, monkeypatch: pytest.MonkeyPatch) -> Gateway:
    """The test's gateway as the `sapgw` command finds it: config.ini and the databases in
    the environment, so commands run in-process (`main([...])`) work on its databases."""
    monkeypatch.setenv("SAPGW_CONFIG", str(DEFAULT_CONFIG))
    monkeypatch.setenv("SAPGW_DB_URL", sapgw.settings.db_url)
    monkeypatch.setenv("SAPGW_ERP_DB_URL", sapgw.settings.erp_db_url)
    return sapgw
