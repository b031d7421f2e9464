"""The loose ends between FI-CA (sender) and RAR (receiver), each driven end to end: versions
saved in the same second, open-ended contract items, and what RAR keeps when the chain
breaks (RAR unreachable, event 8205 raising, an unknown service type)."""

from __future__ import annotations

from decimal import Decimal

from starlette.testclient import TestClient

from sapgw.clock import Clock
from sapgw.gateway.runtime import Gateway

from .support import (
    at,
    check_cons,
    in_session,
    master_data,
    rar_process,
    rar_state,
    rfc,
    transfer,
)

D = Decimal


def maintain(http: TestClient, gpart: str, vkont: str, total: str, **item: str) -> None:
    """FKK_VT_MAINTAIN over JSON RFC: provider contract PC-1, one RA-relevant item 10."""
    result = in_session(http, "FKK_VT_MAINTAIN",
                        VT_HEADER={"VTKEY": "PC-1", "GPART": gpart, "BUKRS": "1000"},
                        VT_ITEMS=[{"VTPOS": "10", "VKONT": vkont, "VALFR": "20261201000000",
                                   "VALTO": "20271130235959", "RAREL": "X",
                                   "RECURR_SERVICE_TYPE": "RECFEE", "TRPRC_TOTAL": total,
                                   "TRPRC_CURR": "EUR", **item}])
    assert {m["TYPE"] for m in result["RETURN"]} == {"S"}, result["RETURN"]


def test_versions_saved_in_one_second_never_share_their_source_key(
        gateway: Gateway, http: TestClient, clock: Clock) -> None:
    gpart, vkont = master_data(http)
    maintain(http, gpart, vkont, "120.00")
    transfer(http)                       # version 1 is sent ...
    maintain(http, gpart, vkont, "130.00")
    transfer(http)                       # ... version 2, saved in the same second, too
    maintain(http, gpart, vkont, "140.00")
    maintain(http, gpart, vkont, "150.00")   # 3 and 4 in that second: only 4 goes
    transfer(http)
    rar_process(gateway)

    stamps = [row["WA"] for row in rfc(http, "RFC_READ_TABLE", QUERY_TABLE="DFKK_VT_IV",
                                         FIELDS=[{"FIELDNAME": "CHANGED_TS"}])["DATA"]]
    now = clock.now().strftime("%Y%m%d%H%M%S")
    assert [int(s) for s in stamps] == [int(now), int(now) + 1, int(now) + 2, int(now) + 3]
    items = [i for i in rar_state(gateway)["ET_ITEMS"] if i["SRCDOC_TYPE"] == "CAOI"]
    assert [(int(i["TIMESTAMP_UTC"]), i["BETRW"]) for i in items] == [
        (int(now), D("120.00")), (int(now) + 1, D("130.00")), (int(now) + 3, D("150.00"))]
    [pob] = rar_state(gateway)["ET_POBS"]
    assert pob["TRX_PRICE"] == D("150.00")
    assert check_cons(gateway, http) == []


def test_a_version_saved_a_second_later_keeps_its_clock_time(
        gateway: Gateway, http: TestClient, clock: Clock) -> None:
    gpart, vkont = master_data(http)
    maintain(http, gpart, vkont, "120.00")
    at(clock, "20261201")
    maintain(http, gpart, vkont, "130.00")
    stamps = [row["WA"] for row in rfc(http, "RFC_READ_TABLE", QUERY_TABLE="DFKK_VT_IV",
                                         FIELDS=[{"FIELDNAME": "CHANGED_TS"}])["DATA"]]
    assert stamps[1].strip() == "20261201090000"
