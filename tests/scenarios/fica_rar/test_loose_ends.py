"""The loose ends between FI-CA (sender) and RAR (receiver), each driven end to end: versions
saved in the same second, open-ended contract items, and what RAR keeps when the chain
breaks (RAR unreachable, event 8205 raising, an unknown service type)."""

from __future__ import annotations

from decimal import Decimal

from starlette.testclient import TestClient

from sapgw.clock import Clock
from sapgw.erp_stub.farr.tables import FARR_C_POBTYPE
from sapgw.gateway.runtime import Gateway

from .support import (
    at,
    check_cons,
    contract_bdoc,
    contract_item,
    in_session,
    master_data,
    rar_process,
    rar_state,
    rfc,
    schedule,
    send_bdoc,
    time_based,
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


def open_ended(http: TestClient, gpart: str, vkont: str) -> None:
    """CRM sends an item without an end of validity: FI-CA keeps it open (VALTO 9999…),
    and its order item goes with END_DATE blank."""
    send_bdoc(http, contract_bdoc("PC-OPEN", gpart, [
        contract_item("10", vkont, "48.00", "2026-12-15", "")]))


def set_default_term(gateway: Gateway, months: str) -> None:
    """RAR's customizing (FARR_C_POBTYPE, ours) changed as a consultant would."""
    rar = gateway.destinations.local_system("RAR")
    rar.seed_rows(FARR_C_POBTYPE, [{"SERVICE_TYPE": "RECFEE", "POB_TYPE": "SERVICE",
                                    "FULFILL_TYPE": "T", "EVENT_TYPE": "",
                                    "DEFAULT_TERM": months, "TEXT": "Recurring service"}],
                  update_existing=True)


def test_an_open_ended_contract_item_runs_the_default_term(
        gateway: Gateway, http: TestClient) -> None:
    gpart, vkont = master_data(http)
    open_ended(http, gpart, vkont)
    gateway.run_until_idle()
    transfer(http)
    rar_process(gateway)

    state = rar_state(gateway)
    [item] = state["ET_ITEMS"]
    assert (item["START_DATE"], item["END_DATE"]) == ("20261215", "")   # as FI-CA sent it
    [pob] = state["ET_POBS"]
    assert (pob["START_DATE"], pob["END_DATE"]) == ("20261215", "20271214")  # 12 months
    assert schedule(state, pob["POB_ID"]) == time_based(D("48.00"), "20261215", "20271214")
    assert check_cons(gateway, http) == []


def test_without_a_default_term_it_stays_raw_until_customizing_gives_one(
        gateway: Gateway, http: TestClient) -> None:
    set_default_term(gateway, "000")
    gpart, vkont = master_data(http)
    open_ended(http, gpart, vkont)
    gateway.run_until_idle()
    transfer(http)
    rar_process(gateway)
    [item] = rar_state(gateway)["ET_ITEMS"]
    assert (item["STATUS"], item["MSGNO"]) == ("0", "017")
    assert item["REASON"].startswith("Item PC-OPEN/000010 has no end date and service type "
                                     "RECFEE no default term")
    [finding] = check_cons(gateway, http)
    assert finding["CHECK"] == "RAW"

    set_default_term(gateway, "024")
    rar_process(gateway)
    state = rar_state(gateway)
    [pob] = state["ET_POBS"]
    assert pob["END_DATE"] == "20281214"
    assert check_cons(gateway, http) == []
