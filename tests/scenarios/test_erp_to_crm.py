"""ERP -> CRM: a customer changed in the ERP reaches CRM as a BUPA_MAIN BDoc (issue 9 §3).

Through public interfaces only: RFC calls on the gateway's served layer (as a partner or the
CLI calls the ERP), `Gateway.run_until_idle` driving both systems' schedulers, SMW01 through
`Gateway.bdocs_list`/`bdoc`, the ERP's SMQ1 through `sapgw erp smq1`.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from sapgw.clock import Clock
from sapgw.gateway.cli import build_parser, dispatch
from sapgw.gateway.client import LocalClient
from sapgw.gateway.runtime import Gateway
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import CommunicationError
from tests.erp_stub.test_master_data import COMPANY, SALES, ale


def create_customer(gw: Gateway) -> str:
    """DEBMAS in, committed: the customer the ERP creates (its own delta goes out too)."""
    with gw.served_rfc.connect() as erp:
        result = erp.call("IDOC_INPUT_DEBITOR", **ale("1", [
            ("E1KNA1M", {"MSGFN": "009", "KTOKD": "0001", "NAME1": "Becker Köln",
                         "LAND1": "DE", "ORT01": "Köln", "PSTLZ": "50667",
                         "STRAS": "Domplatz 1", "SPRAS": "D"}), COMPANY, SALES]))
        erp.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
    return str(result["RETURN"][0]["MESSAGE_V2"])


def change_city(gw: Gateway, kunnr: str, city: str, commit: bool = True) -> dict[str, Any]:
    with gw.served_rfc.connect() as erp:
        result = erp.call("BAPI_CUSTOMER_CHANGEFROMDATA1", CUSTOMERNO=kunnr, PI_SALESORG="1000",
                          PI_DISTR_CHAN="10", PI_DIVISION="00",
                          PI_COMPANYDATA={"CITY": city, "POSTL_COD1": "10115"},
                          PI_COMPANYDATAX={"CITY": "X", "POSTL_COD1": "X"})
        erp.call("BAPI_TRANSACTION_COMMIT" if commit else "BAPI_TRANSACTION_ROLLBACK")
    return result


def bupa_bdocs(gw: Gateway) -> list[dict[str, Any]]:
    items = gw.bdocs_list(bdoc_type="BUPA_MAIN")["items"]
    return [gw.bdoc(item["bdoc_id"]) for item in reversed(items)]


def test_a_changed_customer_reaches_crm_as_bdoc_f04_from_site_erp(sapgw: Gateway,
                                                                  sapgw_clock: Clock):
    kunnr = create_customer(sapgw)
    sapgw.run_until_idle()
    sapgw_clock.advance(timedelta(seconds=1))  # SMW01 lists by the time CRM received them
    result = change_city(sapgw, kunnr, "Berlin")
    assert result["RETURN"]["TYPE"] == "S", result["RETURN"]
    assert result["RETURN"]["MESSAGE"] == f"Customer {kunnr} has been changed"

    sapgw.run_until_idle()

    created, changed = bupa_bdocs(sapgw)
    for bdoc in (created, changed):
        assert (bdoc["state"], bdoc["sender"], bdoc["flow_context"]) == ("F04", "ERP", "MI0")
        assert bdoc["receivers"] == []  # not sent back to the ERP it came from
    assert changed["object_key"] == kunnr.lstrip("0")  # as the flow queue CSABUPA<key>
    assert changed["data"]["HEADER"]["ORT01"] == "Berlin"
    assert changed["data"]["HEADER"]["PSTLZ"] == "10115"
    assert created["data"]["HEADER"]["ORT01"] == "Köln"
    assert changed["data"]["COMPANY"] == [{"BUKRS": "1000", "AKONT": "0000140000",
                                           "ZTERM": "0001", "ZUAWA": "", "BUSAB": "",
                                           "SPERR": "", "LOEVM": "", "MAHNA": "",
                                           "MANSP": ""}]
    assert changed["data"]["SALES"] == [{"VKORG": "1000", "VTWEG": "10", "SPART": "00",
                                         "WAERS": "EUR", "KTGRD": "", "LOEVM": ""}]
    assert any("from site ERP" in line["message"] for line in changed["log"])
    assert sapgw.local_erp().outbound.store.pending() == 0  # the ERP's SMQ1 is empty


def test_a_rolled_back_change_sends_nothing(sapgw: Gateway):
    kunnr = create_customer(sapgw)
    sapgw.run_until_idle()
    change_city(sapgw, kunnr, "Berlin", commit=False)
    sapgw.run_until_idle()

    assert [b["data"]["HEADER"]["ORT01"] for b in bupa_bdocs(sapgw)] == ["Köln"]


def test_wrong_input_names_the_field_and_sends_nothing(sapgw: Gateway):
    kunnr = create_customer(sapgw)
    sapgw.run_until_idle()
    with sapgw.served_rfc.connect() as erp:
        result = erp.call("BAPI_CUSTOMER_CHANGEFROMDATA1", CUSTOMERNO=kunnr, PI_SALESORG="1000",
                          PI_COMPANYDATA={"E_MAIL": "a@b.de", "NAME": ""},
                          PI_COMPANYDATAX={"E_MAIL": "X", "NAME": "X"})
        erp.call("BAPI_TRANSACTION_COMMIT")
    sapgw.run_until_idle()

    messages = {(m["ID"], m["NUMBER"], m["MESSAGE"]) for m in result["ET_RETURN"]}
    assert ("F2", "922", "Field E_MAIL of parameter PI_COMPANYDATA is not kept by this system "
            "and cannot change") in messages
    assert result["RETURN"]["TYPE"] == "E"
    assert len(bupa_bdocs(sapgw)) == 1


class Unreachable:
    """The gateway as the ERP's destination CRM while it is down: refuses, counts attempts."""

    def __init__(self, gw: Gateway) -> None:
        self.gw = gw
        self.down = True
        self.attempts = 0

    def connect(self) -> RfcConnection:
        self.attempts += 1
        if self.down:
            raise CommunicationError("connection to the gateway refused", 1,
                                     "RFC_COMMUNICATION_FAILURE")
        return self.gw.served_rfc.connect()


def test_gateway_down_cpicerr_retries_then_delivers_once(sapgw: Gateway, sapgw_clock: Clock,
                                                         capsys: pytest.CaptureFixture[str]):
    erp = sapgw.local_erp()
    crm = Unreachable(sapgw)
    erp.outbound.set_destination("CRM", crm.connect)  # default SMQS policy: 5 s, back-off 2
    kunnr = create_customer(sapgw)
    sapgw.run_until_idle()

    queue = f"R3AD_CUSTOME{kunnr}"
    [row] = [q for q in _smq1(sapgw, capsys) if q["name"] == queue]
    assert (row["status"], row["entries"], row["retries"]) == ("CPICERR", 1, 1)
    assert "connection to the gateway refused" in row["error"]
    code, out = erp_smq1(sapgw, capsys, queue)
    assert code == 0 and "CPICERR" in out and "connection to the gateway refused" in out
    assert erp_smq1(sapgw, capsys, "R3AD_NOSUCHQUEUE")[0] == 1
    assert erp_smq1(sapgw, capsys, queue, "--lock")[1].split()[-4:-1] == ["STOP", "1", "CRM"] \
        or "STOP" in erp_smq1(sapgw, capsys, queue)[1]
    assert erp_smq1(sapgw, capsys, queue, "--activate")[0] == 1  # stopped: unlock first
    assert erp_smq1(sapgw, capsys, queue, "--unlock")[0] == 0
    sapgw_clock.advance(timedelta(seconds=6))
    sapgw.run_until_idle()
    assert [q["retries"] for q in _smq1(sapgw, capsys)] == [2]

    crm.down = False
    sapgw_clock.advance(timedelta(seconds=11))
    sapgw.run_until_idle()
    sapgw.run_until_idle()

    assert _smq1(sapgw, capsys) == []
    [bdoc] = bupa_bdocs(sapgw)  # exactly once
    assert bdoc["state"] == "F04"
    assert crm.attempts == 3


def erp_smq1(gw: Gateway, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """`sapgw erp smq1 ...` on this gateway's databases (the CLI's local client)."""
    parsed = build_parser().parse_args(["erp", "smq1", *args])
    code = dispatch(parsed, LocalClient(gw))
    return code, capsys.readouterr().out


def _smq1(gw: Gateway, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    code, out = erp_smq1(gw, capsys, "--json")
    assert code == 0
    return json.loads(out)
