"""Posting-area determination: the longest key match, its fallback to shorter keys, and
the revenue accounting customizing read through FI-CA's api."""

from __future__ import annotations

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.fica import api as fica
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw


@pytest.fixture
def ctx(erp: ErpSystem) -> CallContext:
    return CallContext(erp, Luw())


def test_the_longest_key_wins(ctx: CallContext) -> None:
    found = fica.determine(ctx, "1100", {"BUKRS": "1000", "KOFIZ": "01", "HVORG": "0100",
                                         "TVORG": "0020"}, ktopl="INT")
    assert found == fica.Determined({"HKONT": "0000800100"}, ("1000", "01", "0100", "0020"))


def test_a_shorter_key_is_the_fallback(ctx: CallContext) -> None:
    found = fica.determine(ctx, "1100", {"BUKRS": "1000", "KOFIZ": "01", "HVORG": "0100",
                                         "TVORG": "0030"}, ktopl="INT")
    assert found == fica.Determined({"HKONT": "0000800000"}, ("1000",))
    usage = fica.determine(ctx, "8122", {"BITCAT": "0SAP", "SUBPROCESS": "SUBP",
                                         "BITTYPE": "USAG"})
    other = fica.determine(ctx, "8122", {"BITCAT": "0SAP", "SUBPROCESS": "SUBP",
                                         "BITTYPE": "ONCE"})
    assert usage is not None and usage.results == {"RAREL": "X", "SERVICE_TYPE": "USAGE"}
    assert other is not None and other.results == {"RAREL": "", "SERVICE_TYPE": ""}


def test_no_match_and_bad_calls(ctx: CallContext) -> None:
    assert fica.determine(ctx, "1101", {"BUKRS": "2000", "KOFIZ": "", "HVORG": ""},
                          ktopl="INT") is None
    with pytest.raises(fica.PostingAreaError, match="posting area 9999 is not defined"):
        fica.determine(ctx, "9999", {})
    with pytest.raises(fica.PostingAreaError, match=r"needs key field\(s\) KOFIZ, HVORG"):
        fica.determine(ctx, "1101", {"BUKRS": "1000"}, ktopl="INT")


def test_revenue_accounting_customizing(ctx: CallContext) -> None:
    assert fica.ra_settings(ctx) == fica.RaSettings(True, "RAR", "CA", "1")
    assert fica.ra_settings(ctx, "T") == fica.RaSettings(False, "", "", "1")
    service = fica.service_type(ctx, "RECFEE")
    assert service is not None and (service.category, service.condition_type,
                                    service.ssp_condition_type) == ("R", "CTPR", "CSSP")
    assert fica.service_type(ctx, "NOSUCH") is None
