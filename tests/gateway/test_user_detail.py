"""BAPI_USER_GET_DETAIL on the served RFC layer: the users of [auth] as SAP's user master."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sapgw.clock import Clock
from sapgw.gateway.runtime import Gateway
from tests.monitor.test_auth import users_config


@pytest.fixture
def secured(sapgw_clock: Clock) -> Iterator[Gateway]:
    gateway = Gateway.in_memory(clock=sapgw_clock, overrides={"auth": {
        "users": users_config(), "secret": "a-test-secret-of-some-length"}})
    try:
        yield gateway
    finally:
        gateway.close()


def test_a_user_of_auth_is_a_dialog_user_with_its_role(secured: Gateway) -> None:
    name, user = next(iter(secured.settings.auth.users.items()))
    with secured.served_rfc.connect() as conn:
        detail = conn.call("BAPI_USER_GET_DETAIL", USERNAME=name.upper())
    assert detail["RETURN"] == []
    assert (detail["LOGONDATA"]["USTYP"], detail["LOGONDATA"]["GLTGB"]) == ("A", "99991231")
    assert [g["AGR_NAME"] for g in detail["ACTIVITYGROUPS"]] == [f"SAPGW_{user.role.upper()}"]
    assert detail["ISLOCKED"]["LOCAL_LOCK"] == "U"


def test_an_unknown_user_is_reported_as_sap_does(secured: Gateway) -> None:
    with secured.served_rfc.connect() as conn:
        detail = conn.call("BAPI_USER_GET_DETAIL", USERNAME="NOBODY")
    assert [(m["TYPE"], m["ID"], m["NUMBER"], m["MESSAGE"]) for m in detail["RETURN"]] == [
        ("E", "01", "124", "User NOBODY does not exist")]
    assert detail["ACTIVITYGROUPS"] == []
