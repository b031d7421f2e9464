"""Later wins on the ERP side (issue 12): every customer/vendor change writes a change
document (CDHDR/CDPOS, objects DEBI/KRED) and CRM_UPLOAD_TRIGGER does not apply an upload
whose CRM change is older than the ERP's newest change of that partner; the BDoc's log in
SMW01 shows the ERP's warning with both times. Driven as CRM and the ERP are used: BDocs
through `Gateway.send`, the ERP over RFC, both systems by `run_until_idle`."""

from __future__ import annotations

from datetime import timedelta

from sapgw.clock import Clock
from sapgw.gateway.ic import accounting
from sapgw.gateway.runtime import Gateway
from tests.ic.support import NUMBER, customer, erp_rows

WHERE = f"KUNNR = '{NUMBER}'"


def cdpos(gw: Gateway, changenr: str) -> list[dict[str, str]]:
    """CDPOS rows of one change document, key order; CDPOS is wider than a DATA line, so
    the values are read in a second call, as with SAP's RFC_READ_TABLE."""
    rows: list[dict[str, str]] = []
    for names in (("TABNAME", "TABKEY", "FNAME", "VALUE_OLD"), ("VALUE_NEW",)):
        with gw.served_rfc.connect() as erp:
            answer = erp.call("RFC_READ_TABLE", QUERY_TABLE="CDPOS", DELIMITER="|",
                              FIELDS=[{"FIELDNAME": name} for name in names],
                              OPTIONS=[{"TEXT": f"CHANGENR = '{changenr}'"}])
        part = [dict(zip(names, (v.strip() for v in row["WA"].split("|")), strict=True))
                for row in answer["DATA"]]
        rows = [{**a, **b} for a, b in zip(rows, part, strict=True)] if rows else part
    return rows


def change_city_in_erp(gw: Gateway, city: str) -> None:
    with gw.served_rfc.connect() as erp:
        result = erp.call("BAPI_CUSTOMER_CHANGEFROMDATA1", CUSTOMERNO=NUMBER, PI_SALESORG="1000",
                          PI_COMPANYDATA={"CITY": city}, PI_COMPANYDATAX={"CITY": "X"})
        erp.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
    assert result["RETURN"]["TYPE"] == "S", result


def test_every_change_writes_a_change_document_with_its_fields(sapgw: Gateway,
                                                               sapgw_clock: Clock) -> None:
    sapgw.send("BUPA_MAIN", customer(city="Hamburg"))
    sapgw.run_until_idle()
    sapgw_clock.advance(timedelta(minutes=1))
    change_city_in_erp(sapgw, "Berlin")

    headers = erp_rows(sapgw, "CDHDR", f"OBJECTCLAS = 'DEBI' AND OBJECTID = '{NUMBER}'")
    assert sorted((h["TCODE"], h["CHANGE_IND"], h["UTIME"]) for h in headers) == [
        ("BAPI_CUSTOMER_CHANGE", "U", "120100"), ("CRM_UPLOAD_TRIGGER", "I", "120000")]
    changed, = (h for h in headers if h["CHANGE_IND"] == "U")
    items = cdpos(sapgw, changed["CHANGENR"])
    assert [(i["TABNAME"], i["FNAME"], i["VALUE_OLD"], i["VALUE_NEW"]) for i in items] == [
        ("KNA1", "ORT01", "Hamburg", "Berlin")]
    created, = (h for h in headers if h["CHANGE_IND"] == "I")
    inserted = cdpos(sapgw, created["CHANGENR"])
    assert sorted(i["TABNAME"] for i in inserted) == ["KNA1", "KNB1", "KNVV"]
    assert {i["FNAME"] for i in inserted} == {"KEY"}
    pointers = erp_rows(sapgw, "BDCP2", f"CDOBJID = '{NUMBER}'")
    assert sorted((p["MESTYPE"], p["CDCHGNO"]) for p in pointers) == sorted(
        ("DEBMAS", h["CHANGENR"]) for h in headers)


def test_an_upload_older_than_an_erp_change_is_not_applied_and_smw01_says_why(
        sapgw: Gateway, sapgw_clock: Clock) -> None:
    sapgw.send("BUPA_MAIN", customer(city="Hamburg"))
    sapgw.run_until_idle()
    sapgw_clock.advance(timedelta(seconds=5))
    # CRM changes the partner at 12:00:05; its upload has not reached the ERP yet ...
    older = sapgw.send("BUPA_MAIN", customer(city="Lübeck"))
    sapgw_clock.advance(timedelta(seconds=5))
    # ... when the ERP changes it at 12:00:10.
    change_city_in_erp(sapgw, "Berlin")
    sapgw.run_until_idle()

    assert erp_rows(sapgw, "KNA1", WHERE)[0]["ORT01"] == "Berlin"       # ERP: its later change
    assert accounting.search(sapgw, "1000")[0]["city"] == "Berlin"      # CDB: the same
    bdoc = sapgw.bdoc(older["bdoc_id"])
    assert bdoc["state"] == "F04"
    warning, = (line for line in bdoc["log"] if line["service"] == "ERP")
    assert warning["type"] == "W"
    assert warning["message"] == (
        f"Customer {NUMBER} not changed: CRM's change of 2026-11-22 12:00:05 UTC is older "
        "than ERP change 2026-11-22 12:00:10 UTC (" + warning["message"].rsplit("(", 1)[1])
    uploads = erp_rows(sapgw, "CDHDR", f"OBJECTID = '{NUMBER}' AND TCODE = 'CRM_UPLOAD_TRIGGER'")
    assert len(uploads) == 1                                        # only the first upload


def test_an_upload_later_than_the_erp_change_is_applied(sapgw: Gateway, sapgw_clock: Clock) -> None:
    sapgw.send("BUPA_MAIN", customer(city="Hamburg"))
    sapgw.run_until_idle()
    sapgw_clock.advance(timedelta(seconds=5))
    change_city_in_erp(sapgw, "Berlin")
    sapgw_clock.advance(timedelta(seconds=5))
    later = sapgw.send("BUPA_MAIN", customer(city="Lübeck"))
    sapgw.run_until_idle()

    assert erp_rows(sapgw, "KNA1", WHERE)[0]["ORT01"] == "Lübeck"
    assert accounting.search(sapgw, "1000")[0]["city"] == "Lübeck"
    bdoc = sapgw.bdoc(later["bdoc_id"])
    assert bdoc["state"] == "F04"
    assert not [line for line in bdoc["log"] if line["service"] == "ERP"]
    uploads = erp_rows(sapgw, "CDHDR", f"OBJECTID = '{NUMBER}' AND TCODE = 'CRM_UPLOAD_TRIGGER'")
    assert len(uploads) == 2
