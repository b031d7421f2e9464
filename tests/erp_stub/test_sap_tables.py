"""Issue 9 §2 in one place: every customizing and master data table it names answers
RFC_READ_TABLE with the demo rows, as an integration team reads configuration from SAP."""

from __future__ import annotations

import pytest

from sapgw.erp_stub import ErpSystem

# Table -> (a field, the demo value it must show): the data set's rows reached the table.
DEMO_ROWS = {
    "T001": ("BUKRS", "1000"), "T001B": ("BUKRS", "1000"), "T009": ("PERIV", "K4"),
    "T009B": ("PERIV", "V3"),  # K4 is the calendar year: no T009B rows, as in SAP
    "TKA01": ("KOKRS", "1000"), "TKA02": ("KOKRS", "1000"),
    "T003": ("BLART", "SA"), "T001W": ("WERKS", "1000"), "T001L": ("LGORT", "0001"),
    "TVKO": ("VKORG", "1000"), "SKA1": ("SAKNR", "0000477000"), "SKAT": ("SAKNR", "0000477000"),
    "SKB1": ("SAKNR", "0000477000"), "CSKA": ("KSTAR", "0000477000"),
    "CSKB": ("KSTAR", "0000477000"), "CSKS": ("KOSTL", "0000001000"),
    "CSKT": ("KOSTL", "0000001000"), "CSLA": ("KOKRS", "1000"), "T003O": ("AUART", "SAPS"),
    "T156": ("BWART", "261"), "NRIV": ("OBJECT", "RF_BELEG"), "TNRO": ("OBJECT", "RF_BELEG"),
    "KNA1": ("KUNNR", "0000001000"), "KNB1": ("KUNNR", "0000001000"),
    "LFA1": ("LIFNR", "0000002000"), "LFB1": ("LIFNR", "0000002000"),
    "MARA": ("MATNR", "RM-1000"), "MBEW": ("MATNR", "RM-1000"), "T100": ("ARBGB", "F5"),
    "TCURC": ("WAERS", "EUR"), "T006": ("MSEHI", "KG"),
}


@pytest.mark.parametrize("table", sorted(DEMO_ROWS))
def test_rfc_read_table_answers_with_the_demo_rows(erp: ErpSystem, table: str) -> None:
    field, value = DEMO_ROWS[table]
    result = erp.connect().call("RFC_READ_TABLE", QUERY_TABLE=table,
                                FIELDS=[{"FIELDNAME": field}])
    assert value in [row["WA"].strip() for row in result["DATA"]], table
