"""VMS vehicles to CRM (issue 12, seed 003): CRMV and CRMS with and without the "CRM Rel."
indicator, with a VLC_CRM_INTEGRATOR filter, into the CDB's individual object Vehicle.

Through public interfaces: RFC calls on the gateway's served layer (as a partner or the CLI
calls the ERP), `Gateway.run_until_idle` driving the ERP's outbound queue and the gateway's
flow, SMW01 through `Gateway.bdocs_list`/`bdoc`, the CDB through the Automotive IC's REST.
Customizing (CVLC01, VLC_BADI) is changed through the vms api, committed, as SM30 would.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.masterdata.crm_delta import CRMRFCPAR
from sapgw.erp_stub.vms import api as vms
from sapgw.gateway.runtime import Gateway
from sapgw.rfc.errors import ABAPApplicationError

VIN = "WVWZZZ1JZXW000001"
OTHER_VIN = "WVWZZZ1JZXW000002"
EXAMPLE = "sapgw.erp_stub.vms.integrator:ExampleIntegrator"


def call(gw: Gateway, function: str, commit: bool = True, **params: Any) -> dict[str, Any]:
    with gw.served_rfc.connect() as erp:
        result = erp.call(function, **params)
        if commit:
            erp.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
    return result


def create(gw: Gateway, vin: str = VIN, **fields: str) -> dict[str, Any]:
    return call(gw, "VLC_VEHICLE_CREATE", IS_VEHICLE={
        "VHVIN": vin, "VLC_MATNR": "VLC-SEDAN-A4", "DEALER": "3100", **fields},
        IT_CONFIG=[{"ATNAM": "COLOR", "ATWRT": "Mythos black"},
                   {"ATNAM": "ENGINE", "ATWRT": "2.0 TDI"}])


def act(gw: Gateway, action: str, vin: str = VIN, **params: Any) -> dict[str, Any]:
    return call(gw, "VLC_ACTION_EXECUTE", IV_VHVIN=vin, IV_ACTION=action, **params)


def customize(gw: Gateway, change: Any) -> None:
    ctx = CallContext(gw.local_erp(), Luw())
    change(ctx)
    ctx.commit()


def vehicle_bdocs(gw: Gateway) -> list[dict[str, Any]]:
    items = gw.bdocs_list(bdoc_type="CRM_VEHICLE")["items"]
    return [gw.bdoc(item["bdoc_id"]) for item in reversed(items)]


def types(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(m["TYPE"], m["NUMBER"]) for m in result["RETURN"]]


def test_crmv_sends_data_configuration_history_and_partners_to_the_iobject(
        sapgw: Gateway, http: TestClient):
    created = create(sapgw)
    assert types(created) == [("S", "900"), ("I", "915")]  # CREA is not CRM relevant
    result = act(sapgw, "CRMV")
    assert types(result) == [("S", "901"), ("S", "913")]
    assert result["RETURN"][1]["MESSAGE_V2"] == f"R3AD_VEHICLE{created['EV_VHCLE']}"
    sapgw.run_until_idle()

    [bdoc] = vehicle_bdocs(sapgw)
    assert (bdoc["state"], bdoc["sender"], bdoc["flow_context"]) == ("F04", "ERP", "MI0")
    assert any("created in the CDB by action CRMV" in row["message"] for row in bdoc["log"])
    iobject = http.get(f"/api/ic/automotive/vehicles/{VIN}").json()
    assert (iobject["product_type"], iobject["object_family"], iobject["category_id"]) == (
        "IOBJ", "0311", "VEHICLE")
    assert iobject["vhcle"] == created["EV_VHCLE"] and iobject["product_guid"] == \
        created["EV_VGUID"]
    assert iobject["ref_product"] == "VLC-SEDAN-A4" and iobject["primary_status"] == "PLAN"
    assert {(c["atnam"], c["atwrt"]) for c in iobject["config"]} == {
        ("COLOR", "Mythos black"), ("ENGINE", "2.0 TDI")}
    assert [(p["partner_fct"], p["partner"], p["name"]) for p in iobject["partners"]] == [
        ("DEALER", "0000003100", "Autohaus Nord")]
    assert [(e["event_no"], e["action"]) for e in iobject["events"]] == [
        ("000002", "CRMV"), ("000001", "CREA")]


def test_crms_assigns_the_vehicle_to_a_crm_order_and_later_actions_update_it(
        sapgw: Gateway, http: TestClient):
    create(sapgw)
    act(sapgw, "GRCV")
    act(sapgw, "CRMV")
    result = call(sapgw, "VELO20_CRMS_EXECUTE", VLCACTDATA_CS={"AKTION": "CRMS",
                                                             "CRM_ORDER": "4711"},
                  VLCDIAVEHI_CT=[{"VHVIN": VIN}])
    assert types(result) == [("S", "901"), ("S", "913")]
    assert act(sapgw, "DLCU", IS_PARTNERS={"ENDCUST": "3200"})["ES_VEHICLE"]["PRIMSTAT"] == "DLVD"
    sapgw.run_until_idle()

    assert sorted((b["state"], b["data"]["HEADER"]["AKTION"], b["data"]["HEADER"]["SCOPE"])
                  for b in vehicle_bdocs(sapgw)) == [("F04", "CRMS", "S"), ("F04", "CRMV", "V"),
                                                  ("F04", "DLCU", "V")]  # in order: DLCU last
    iobject = http.get(f"/api/ic/automotive/vehicles/{VIN}").json()
    assert [o["object_id"] for o in iobject["orders"]] == ["0000004711"]
    assert iobject["primary_status"] == "DLVD" and iobject["last_action"] == "DLCU"
    assert [(p["partner_fct"], p["name"]) for p in iobject["partners"]] == [
        ("DEALER", "Autohaus Nord"), ("ENDCUST", "Sabine Krueger")]
    assert [e["action"] for e in iobject["events"]] == ["DLCU", "CRMS", "CRMV", "GRCV", "CREA"]
    found = http.get("/api/ic/automotive/vehicles", params={"customer": "krueger"}).json()
    assert [v["vin"] for v in found["items"]] == [VIN]


def test_an_action_without_the_crm_indicator_sends_nothing(sapgw: Gateway):
    create(sapgw)
    assert types(act(sapgw, "GRCV")) == [("S", "901"), ("I", "915")]
    customize(sapgw, lambda ctx: vms.set_crm_relevant(ctx, "CRMV", False))
    assert types(act(sapgw, "CRMV")) == [("S", "901"), ("I", "915")]
    queues = call(sapgw, "TRFC_GET_QUEUE_INFO_DETAILS", commit=False, QNAME="R3AD_VEHICLE*")
    assert queues["QVIEW"] == []  # nothing in the ERP's SMQ1
    sapgw.run_until_idle()

    assert vehicle_bdocs(sapgw) == []
    history = call(sapgw, "VLC_VEHICLE_GET_DETAIL", commit=False, IV_VHVIN=VIN)["ET_HISTORY"]
    assert [(h["AKTION"], h["CRM_SENT"]) for h in history] == [
        ("CREA", ""), ("GRCV", ""), ("CRMV", "")]


def test_the_badi_filters_test_vehicles_and_enriches_the_others(sapgw: Gateway, http: TestClient):
    customize(sapgw, lambda ctx: vms.set_crm_integrator(ctx, EXAMPLE))
    create(sapgw, vin="TEST0000000000001")
    create(sapgw)
    filtered = act(sapgw, "CRMV", vin="TEST0000000000001")
    assert types(filtered) == [("S", "901"), ("W", "914")]
    assert types(act(sapgw, "CRMV")) == [("S", "901"), ("S", "913")]
    sapgw.run_until_idle()

    [bdoc] = vehicle_bdocs(sapgw)
    assert bdoc["data"]["HEADER"]["VHVIN"] == VIN
    iobject = http.get(f"/api/ic/automotive/vehicles/{VIN}").json()
    assert iobject["description"] == f"VLC-SEDAN-A4 {VIN}"
    # PREPARE_VEHICLE_HISTORY_CRM: CREA changed the status, CRMV was sent; both kept.
    assert [e["action"] for e in iobject["events"]] == ["CRMV", "CREA"]
    assert http.get("/api/ic/automotive/vehicles/TEST0000000000001").status_code == 404


class Failing:
    def prepare_vehicle_history_crm(self, vehicle: Any, history: Any) -> Any:
        raise RuntimeError("history service down")


def test_a_failing_badi_stops_the_action_and_writes_nothing(sapgw: Gateway):
    create(sapgw)
    customize(sapgw, lambda ctx: vms.set_crm_integrator(ctx, f"{__name__}:Failing"))
    result = act(sapgw, "CRMV")
    assert types(result) == [("E", "918")]
    assert "RuntimeError: history service down" in result["RETURN"][0]["MESSAGE"]
    with pytest.raises(ABAPApplicationError) as raised:
        call(sapgw, "VELO20_CRMS_EXECUTE", VLCACTDATA_CS={"AKTION": "CRMS", "CRM_ORDER": "1"},
             VLCDIAVEHI_CT=[{"VHVIN": VIN}])
    assert raised.value.key == "ACTION_NOT_PERFORMED"  # PLAN: CRMS is not allowed yet
    history = call(sapgw, "VLC_VEHICLE_GET_DETAIL", commit=False, IV_VHVIN=VIN)["ET_HISTORY"]
    assert [h["AKTION"] for h in history] == ["CREA"]


def test_unknown_vin_is_refused_in_saps_terms_and_nothing_is_half_written(sapgw: Gateway):
    create(sapgw)
    act(sapgw, "GRCV")
    result = act(sapgw, "CRMV", vin=OTHER_VIN)
    assert types(result) == [("E", "902")]
    assert result["RETURN"][0]["MESSAGE"] == f"Vehicle with VIN {OTHER_VIN} does not exist"
    with pytest.raises(ABAPApplicationError) as raised:
        call(sapgw, "VELO20_CRMS_EXECUTE", VLCACTDATA_CS={"AKTION": "CRMS", "CRM_ORDER": "9"},
             VLCDIAVEHI_CT=[{"VHVIN": VIN}, {"VHVIN": OTHER_VIN}])
    assert (raised.value.key, raised.value.msg_class, raised.value.msg_number) == (
        "ACTION_NOT_PERFORMED", "VELO", "902")
    with pytest.raises(ABAPApplicationError) as wrong:
        call(sapgw, "VELO20_CRMS_EXECUTE", VLCACTDATA_CS={"AKTION": "CRMV", "CRM_ORDER": "9"},
             VLCDIAVEHI_CT=[{"VHVIN": VIN}])
    assert wrong.value.key == "NOT_A_CRM_ORDER"
    sapgw.run_until_idle()
    detail = call(sapgw, "VLC_VEHICLE_GET_DETAIL", commit=False, IV_VHVIN=VIN)
    assert detail["ES_VEHICLE"]["PRIMSTAT"] == "STCK" and detail["ES_VEHICLE"]["CRM_ORDER"] == ""
    assert vehicle_bdocs(sapgw) == []


def test_no_crm_destination_is_a_crm_setup_error(sapgw: Gateway):
    create(sapgw)
    act(sapgw, "GRCV")
    customize(sapgw, lambda ctx: ctx.update(CRMRFCPAR, {"CONSUMER": "CRM", "OBJNAME": "*"},
                                         {"DOWNLOAD": ""}))
    assert types(act(sapgw, "CRMV")) == [("E", "912")]
    with pytest.raises(ABAPApplicationError) as raised:
        call(sapgw, "VELO20_CRMS_EXECUTE", VLCACTDATA_CS={"AKTION": "CRMS", "CRM_ORDER": "9"},
             VLCDIAVEHI_CT=[{"VHVIN": VIN}])
    assert raised.value.key == "CRM_SETUP_ERROR"
    assert "no suitable plugin" in raised.value.message


def test_bad_vehicle_data_names_each_field(sapgw: Gateway):
    result = call(sapgw, "VLC_VEHICLE_CREATE", IS_VEHICLE={
        "VHVIN": "SHORT", "VLC_MATNR": "NOPE", "DEALER": "999999"}, IV_ACTION="CREA")
    assert [(m["NUMBER"], m["FIELD"]) for m in result["RETURN"]] == [
        ("910", "VHVIN"), ("906", "VLC_MATNR"), ("907", "DEALER")]
    create(sapgw)
    assert types(create(sapgw)) == [("E", "908")]
