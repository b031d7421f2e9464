"""DEBMAS07, CREMAS05 and MBGMCR03 over POST /sap/bc/idoc_xml: posted in the ERP stub (53)
through process codes DEBM, CRE1 and BAPI, or refused with the application's messages (51)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sapgw.gateway.idoc.flat_format import write_flat
from sapgw.gateway.idoc.model import Idoc, build
from sapgw.gateway.idoc.xml_format import write_idoc_xml
from sapgw.gateway.runtime import Gateway
from tests.idoc.conftest import SENDER

JSON = {"Accept": "application/json", "Content-Type": "application/xml"}


def idoc(idoctyp: str, mestyp: str, segments: list[tuple[str, dict[str, str]]]) -> Idoc:
    return build({**SENDER, "IDOCTYP": idoctyp, "MESTYP": mestyp}, segments)


def customer(*children: tuple[str, dict[str, str]], **general: str) -> Idoc:
    fields = {"MSGFN": "009", "KTOKD": "0002", "KUNNR": "0000900001", "NAME1": "Becker Hamburg",
              "LAND1": "DE", "ORT01": "Hamburg", "PSTLZ": "20095", "SPRAS": "D", **general}
    return idoc("DEBMAS07", "DEBMAS", [("E1KNA1M", fields), *children])


def goods_movement(*items: dict[str, str], code: str = "05") -> Idoc:
    return idoc("MBGMCR03", "MBGMCR", [
        ("E1MBGMCR", {}),
        ("E1BP2017_GM_HEAD_01", {"PSTNG_DATE": "20261122", "DOC_DATE": "20261122",
                                 "REF_DOC_NO": "DN-77", "HEADER_TXT": "From the warehouse"}),
        ("E1BP2017_GM_CODE", {"GM_CODE": code}),
        *(("E1BP2017_GM_ITEM_CREATE", item) for item in items)])


def send(web: Any, *idocs: Idoc) -> Any:
    answer = web.post("/sap/bc/idoc_xml", content=write_idoc_xml(list(idocs)), headers=JSON)
    assert answer.status_code == 200, answer.text
    return answer.json()


# Partner tables: the key field and the data set table of their demo partners.
PARTNER_TABLES = {"KNA1": ("KUNNR", "customers"), "KNB1": ("KUNNR", "customers"),
                  "LFA1": ("LIFNR", "vendors"), "LFB1": ("LIFNR", "vendors")}


def not_demo(gw: Gateway, table: str) -> list[str]:
    """The WHERE clause leaving out the data set's demo partners (seeded with the tables), as
    OPTIONS lines of at most 72 characters (SAP joins them)."""
    if table not in PARTNER_TABLES:
        return []
    field, kind = PARTNER_TABLES[table]
    numbers = list(gw.local_erp().data.table(kind))
    return [f"{'AND ' if n else ''}{field} <> '{number}'" for n, number in enumerate(numbers)]


def read(gw: Gateway, table: str, fields: list[str], where: str = "") -> list[list[str]]:
    """Rows of an ERP table through RFC_READ_TABLE, split at the delimiter (customers and
    vendors without the demo partners)."""
    lines = [where] if where else not_demo(gw, table)
    result = gw.destination("ERP").call(
        "RFC_READ_TABLE", QUERY_TABLE=table, DELIMITER="|",
        FIELDS=[{"FIELDNAME": f} for f in fields],
        OPTIONS=[{"TEXT": line} for line in lines])
    return [[value.strip() for value in row["WA"].split("|")] for row in result["DATA"]]


def last_status(web: Any, docnum: str) -> dict[str, Any]:
    return web.get(f"/api/idocs/{docnum}").json()["status"][-1]


def test_debmas_creates_the_customer_with_company_code_and_sales_area(web, sapgw):
    result = send(web, customer(
        ("E1KNB1M", {"MSGFN": "009", "BUKRS": "1000", "AKONT": "0000140000", "ZTERM": "0001"}),
        ("E1KNVVM", {"MSGFN": "009", "VKORG": "1000", "VTWEG": "10", "SPART": "00",
                     "WAERS": "EUR", "KTGRD": "01"})))

    assert result["STATUS"] == "53", result["MESSAGES"]
    status = last_status(web, result["DOCNUM"])
    assert status["TEXT"] == "F2 901 Customer 0000900001 has been created"
    assert read(sapgw, "KNA1", ["KUNNR", "KTOKD", "NAME1", "ORT01", "LAND1"]) == [
        ["0000900001", "0002", "Becker Hamburg", "Hamburg", "DE"]]
    assert read(sapgw, "KNB1", ["KUNNR", "BUKRS", "AKONT", "ZTERM"]) == [
        ["0000900001", "1000", "0000140000", "0001"]]
    assert read(sapgw, "KNVV", ["KUNNR", "VKORG", "VTWEG", "SPART", "WAERS"]) == [
        ["0000900001", "1000", "10", "00", "EUR"]]


def test_debmas_change_and_deletion_flag(web, sapgw):
    send(web, customer(("E1KNB1M", {"BUKRS": "1000", "AKONT": "0000140000"})))
    changed = send(web, customer(MSGFN="004", NAME1="Becker Hamburg-Altona", ORT01="",
                                 KTOKD="", LAND1=""))
    flagged = send(web, customer(("E1KNB1M", {"MSGFN": "003", "BUKRS": "1000"}), MSGFN="004",
                                 NAME1="", KTOKD="", LAND1="", ORT01=""))

    assert [changed["STATUS"], flagged["STATUS"]] == ["53", "53"]
    assert last_status(web, changed["DOCNUM"])["TEXT"] == (
        "F2 902 Customer 0000900001 has been changed")
    assert read(sapgw, "KNA1", ["NAME1", "ORT01", "LOEVM"]) == [
        ["Becker Hamburg-Altona", "Hamburg", ""]]
    assert read(sapgw, "KNB1", ["BUKRS", "LOEVM"]) == [["1000", "X"]]


def test_debmas_with_bad_data_ends_51_with_every_message(web, sapgw):
    result = send(web, customer(
        ("E1KNB1M", {"BUKRS": "9999", "AKONT": "0000140000"}),
        ("E1KNB1M", {"BUKRS": "1000"}), NAME1=""))

    assert result["STATUS"] == "51"
    found = {(m["ID"], m["NUMBER"], m.get("FIELD")) for m in result["MESSAGES"]}
    assert found == {("F2", "906", "NAME1"), ("F5", "165", "BUKRS"), ("F2", "911", "AKONT")}
    status = last_status(web, result["DOCNUM"])
    assert status["TEXT"] == "F2 906 Required field NAME1 of segment E1KNA1M is missing"
    assert read(sapgw, "KNA1", ["KUNNR"]) == []


def test_debmas_flat_file_posts_too(web, sapgw):
    flat = write_flat([customer(KUNNR="900002")])
    answer = web.post("/sap/bc/idoc_xml", content=flat.encode(),
                      headers={"Content-Type": "text/plain"})
    assert answer.status_code == 200 and answer.text.endswith("status 53\n")
    assert read(sapgw, "KNA1", ["KUNNR"]) == [["0000900002"]]


def test_cremas_creates_vendor_and_refuses_an_unknown_one_to_change(web, sapgw):
    vendor = idoc("CREMAS05", "CREMAS", [
        ("E1LFA1M", {"MSGFN": "005", "LIFNR": "0000800003", "KTOKK": "0002",
                     "NAME1": "C.E.B. Asunción", "LAND1": "PY", "ORT01": "Asunción",
                     "SPRAS": "E", "TELF1": "+595 21 000"}),
        ("E1LFB1M", {"MSGFN": "005", "BUKRS": "1000", "AKONT": "160000", "ZTERM": "0002"}),
        ("E1LFM1M", {"MSGFN": "005", "EKORG": "1000", "WAERS": "USD"})])
    unknown = idoc("CREMAS05", "CREMAS", [
        ("E1LFA1M", {"MSGFN": "004", "LIFNR": "0000800099", "NAME1": "Nobody"})])

    created, refused = send(web, vendor, unknown)

    assert created["STATUS"] == "53", created["MESSAGES"]
    assert last_status(web, created["DOCNUM"])["TEXT"] == (
        "F2 901 Vendor 0000800003 has been created")
    assert read(sapgw, "LFA1", ["LIFNR", "NAME1", "LAND1", "TELF1"]) == [
        ["0000800003", "C.E.B. Asunción", "PY", "+595 21 000"]]
    assert read(sapgw, "LFB1", ["LIFNR", "BUKRS", "AKONT"]) == [
        ["0000800003", "1000", "0000160000"]]
    assert read(sapgw, "LFM1", ["EKORG", "WAERS"]) == [["1000", "USD"]]
    assert refused["STATUS"] == "51"
    assert [(m["ID"], m["NUMBER"]) for m in refused["MESSAGES"]] == [("F2", "904")]
    assert "Vendor 0000800099 does not exist" in refused["MESSAGES"][0]["MESSAGE"]


def test_mbgmcr_initial_entry_then_issue_to_cost_center(web, sapgw):
    receipt = send(web, goods_movement(
        {"MATERIAL": "SP-2000", "PLANT": "1000", "STGE_LOC": "0001", "MOVE_TYPE": "561",
         "ENTRY_QNT": "40.000", "ENTRY_UOM": "PC"}))
    issue = send(web, goods_movement(
        {"MATERIAL": "SP-2000", "PLANT": "1000", "STGE_LOC": "0001", "MOVE_TYPE": "201",
         "ENTRY_QNT": "15", "COSTCENTER": "1000", "ITEM_TEXT": "Repair line 2"}, code="03"))

    assert [receipt["STATUS"], issue["STATUS"]] == ["53", "53"], issue["MESSAGES"]
    text = last_status(web, issue["DOCNUM"])["TEXT"]
    assert text == "Material document 4900000001 2026 posted"
    assert read(sapgw, "MARD", ["MATNR", "LGORT", "LABST"]) == [["SP-2000", "0001", "25.000"]]
    assert read(sapgw, "MSEG", ["MBLNR", "BWART", "SHKZG", "MENGE", "DMBTR", "KOSTL"]) == [
        ["4900000000", "561", "S", "40.000", "480.00", ""],
        ["4900000001", "201", "H", "15.000", "180.00", "0000001000"]]
    assert read(sapgw, "MKPF", ["MBLNR", "XBLNR"], "MBLNR = '4900000001'") == [
        ["4900000001", "DN-77"]]
    fi = read(sapgw, "BKPF", ["AWTYP", "AWKEY", "BLART"], "AWKEY = '49000000012026'")
    assert fi == [["MKPF", "49000000012026", "WA"]]


def test_mbgmcr_beyond_stock_ends_51_with_the_deficit(web, sapgw):
    send(web, goods_movement({"MATERIAL": "RM-1000", "PLANT": "1000", "STGE_LOC": "0001",
                              "MOVE_TYPE": "561", "ENTRY_QNT": "10.250"}))
    result = send(web, goods_movement(
        {"MATERIAL": "RM-1000", "PLANT": "1000", "STGE_LOC": "0001", "MOVE_TYPE": "201",
         "ENTRY_QNT": "12.5", "COSTCENTER": "1000"}, code="03"))

    assert result["STATUS"] == "51"
    [deficit] = result["MESSAGES"]
    assert (deficit["ID"], deficit["NUMBER"], deficit["ROW"]) == ("M7", "021", 1)
    assert deficit["MESSAGE"] == "Deficit of SL Unrestricted-use 2.25 KG : RM-1000 1000 0001"
    assert last_status(web, result["DOCNUM"])["TEXT"].endswith(deficit["MESSAGE"])
    [[stock]] = read(sapgw, "MARD", ["LABST"])
    assert Decimal(stock) == Decimal("10.25")
    assert len(read(sapgw, "MKPF", ["MBLNR"])) == 1


def test_mbgmcr_transfer_between_storage_locations(web, sapgw):
    send(web, goods_movement({"MATERIAL": "FG-3000", "PLANT": "1000", "STGE_LOC": "0001",
                              "MOVE_TYPE": "501", "ENTRY_QNT": "5"}))
    result = send(web, goods_movement(
        {"MATERIAL": "FG-3000", "PLANT": "1000", "STGE_LOC": "0001", "MOVE_TYPE": "311",
         "ENTRY_QNT": "2", "MOVE_STLOC": "0002"}, code="04"))

    assert result["STATUS"] == "53", result["MESSAGES"]
    assert read(sapgw, "MARD", ["LGORT", "LABST"]) == [["0001", "3.000"], ["0002", "2.000"]]
    assert read(sapgw, "BKPF", ["AWKEY"], "AWKEY = '49000000012026'") == []


def test_mbgmcr_with_unknown_material_and_movement_type_ends_51(web, sapgw):
    result = send(web, goods_movement(
        {"MATERIAL": "NOPE", "PLANT": "1000", "STGE_LOC": "0001", "MOVE_TYPE": "561",
         "ENTRY_QNT": "1"},
        {"MATERIAL": "SP-2000", "PLANT": "1000", "STGE_LOC": "0001", "MOVE_TYPE": "999",
         "ENTRY_QNT": "1"}))

    assert result["STATUS"] == "51"
    assert [(m["ID"], m["NUMBER"], m["ROW"]) for m in result["MESSAGES"]] == [
        ("M7", "901", 1), ("M7", "905", 2)]
    assert read(sapgw, "MKPF", ["MBLNR"]) == []


def test_mbgmcr_in_51_posts_on_reprocess_once_the_stock_is_there(web, sapgw):
    issue = send(web, goods_movement(
        {"MATERIAL": "FG-3000", "PLANT": "1000", "STGE_LOC": "0001", "MOVE_TYPE": "261",
         "ENTRY_QNT": "1", "ORDERID": "000000100000"}, code="03"))
    assert issue["STATUS"] == "51"
    assert [(m["ID"], m["NUMBER"]) for m in issue["MESSAGES"]] == [("KO", "013"),
                                                                   ("M7", "021")]

    with sapgw.destination("ERP") as erp:
        created = erp.call("BAPI_INTERNALORDER_CREATE", I_MASTER_DATA={
            "ORDER_TYPE": "SAPS", "ORDER_NAME": "Pump repair", "CO_AREA": "1000"})
        erp.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
    assert created["ORDERID"] == "000000100000"
    assert send(web, goods_movement({"MATERIAL": "FG-3000", "PLANT": "1000",
                                     "STGE_LOC": "0001", "MOVE_TYPE": "561",
                                     "ENTRY_QNT": "1"}))["STATUS"] == "53"

    again = web.post(f"/api/idocs/{issue['DOCNUM']}/reprocess")
    assert again.status_code == 200 and again.json()["STATUS"] == "53"
    assert read(sapgw, "MSEG", ["BWART", "AUFNR"], "BWART = '261'") == [
        ["261", "000000100000"]]
    assert read(sapgw, "MARD", ["LABST"]) == [["0.000"]]


def invoice_to(kunnr: str, reference: str) -> Idoc:
    """ACC_DOCUMENT03: Dr customer / Cr revenue, as a billing system sends it."""
    return build({**SENDER}, [
        ("E1BPACHE09", {"BUS_ACT": "RFBU", "USERNAME": "IDOC", "COMP_CODE": "1000",
                        "DOC_DATE": "20261122", "PSTNG_DATE": "20261122", "DOC_TYPE": "DR",
                        "REF_DOC_NO": reference}),
        ("E1BPACAR09", {"ITEMNO_ACC": "0000000001", "CUSTOMER": kunnr}),
        ("E1BPACGL09", {"ITEMNO_ACC": "0000000002", "GL_ACCOUNT": "0000800000"}),
        ("E1BPACCR09", {"ITEMNO_ACC": "0000000001", "CURRENCY": "EUR", "AMT_DOCCUR": "119.00"}),
        ("E1BPACCR09", {"ITEMNO_ACC": "0000000002", "CURRENCY": "EUR",
                        "AMT_DOCCUR": "119.00-"})])


def test_acc_document_to_a_customer_created_by_debmas_posts(web, sapgw):
    before = send(web, invoice_to("0000900001", "INV-1"))
    created = send(web, customer(("E1KNB1M", {"BUKRS": "1000", "AKONT": "0000140000"})))
    posted = send(web, invoice_to("0000900001", "INV-2"))
    send(web, customer(("E1KNB1M", {"MSGFN": "003", "BUKRS": "1000"}), MSGFN="004",
                       NAME1="", KTOKD="", LAND1="", ORT01=""))
    flagged = send(web, invoice_to("0000900001", "INV-3"))

    assert before["STATUS"] == "51"
    assert [(m["ID"], m["NUMBER"]) for m in before["MESSAGES"]] == [("RW", "609"),
                                                                   ("F5", "102")]
    assert [created["STATUS"], posted["STATUS"]] == ["53", "53"], posted["MESSAGES"]
    assert last_status(web, posted["DOCNUM"])["TEXT"].startswith(
        "RW 605 Document posted successfully: BKPFF 0100000000")
    assert read(sapgw, "BSEG", ["KOART", "KUNNR", "HKONT"], "KOART = 'D'") == [
        ["D", "0000900001", "0000140000"]]
    assert flagged["STATUS"] == "51"
    assert [(m["ID"], m["NUMBER"]) for m in flagged["MESSAGES"]] == [("RW", "609"),
                                                                    ("F5", "707")]
    assert "is marked for deletion" in last_status(web, flagged["DOCNUM"])["TEXT"]
