"""`sapgw erp fkkbix_s/fkkbix_m/fkkinv_s/fkkinv_m` as a person runs them on config.ini's
databases: documents as a table or JSON, SAP-style messages, exit 1 on an error."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sapgw.gateway.runtime import Gateway

from .test_cli import config, sapgw  # noqa: F401  (the fixture and the runner)

TODAY = datetime.now(UTC).strftime("%Y%m%d")
START = (datetime.now(UTC) - timedelta(days=30)).strftime("%Y%m%d") + "000000"


def prepare(config_file: Path) -> str:
    """A partner, its contract account, a provider contract and two billable items, written
    over RFC into the ERP of config.ini: the contract account."""
    gateway = Gateway.open(config_file)
    try:
        conn = gateway.local_erp().connect()
        gpart = conn.call("BAPI_BUPA_CREATE_FROM_DATA", PARTNERCATEGORY="2",
                          CENTRALDATAORGANIZATION={"NAME1": "CLI GmbH"})["BUSINESSPARTNER"]
        conn.call("BAPI_TRANSACTION_COMMIT")
        vkont = conn.call("BAPI_CTRACCONTRACTACCOUNT_CREATE", CTRACHEADERIN={"ACCT_CAT": "01"},
                          CTRACPARTNERDETAILIN={"BUSPARTNER": gpart, "STANDARD_COMP_CODE": "1000",
                                                "ACCT_DETERM_ID": "01"})["CONTRACTACCOUNTOUT"]
        conn.call("BAPI_TRANSACTION_COMMIT")
        conn.call("FKK_VT_MAINTAIN", VT_HEADER={"VTKEY": "PC-CLI", "GPART": gpart,
                                                 "BUKRS": "1000"},
                  VT_ITEMS=[{"VTPOS": "10", "VKONT": vkont, "VALFR": START,
                             "PRDNR": "SERVICE"}])
        conn.call("BAPI_TRANSACTION_COMMIT")
        result = conn.call("/1FE/0SAP_BIT_CREATE_API", IT_BIT_IT=[
            {"SRCTATYPE": "01", "SRCTAID": f"CLI-{n}", "SUBPROCESS": "SUBP", "BITTYPE": "USAG",
             "VKONT": vkont, "VTREF": "PC-CLI", "VTPOS": "10", "BIT_AMOUNT": amount,
             "BIT_CURR": "EUR", "BITDATE": TODAY} for n, amount in ((1, "1.25"), (2, "2.50"))])
        assert [r["BITSTATUS"] for r in result["ET_BIT_RESULT"]] == ["2", "2"], result
        conn.call("BAPI_TRANSACTION_COMMIT")
        return str(vkont)
    finally:
        gateway.close()


def test_bill_and_invoice_from_the_command_line(config: Path) -> None:  # noqa: F811
    vkont = prepare(config)
    billed = sapgw(config, "erp", "fkkbix_s", vkont, "--date-to", TODAY).stdout
    assert "S FKK_CI 040 1 billing documents created for 2 billable items" in billed
    assert vkont in billed and "3.75" in billed

    invoiced = json.loads(sapgw(config, "erp", "fkkinv_m", "--json").stdout)
    [doc] = invoiced["ET_INVDOCS"]
    assert (doc["VKONT"], doc["TOTAL_AMT"], doc["FIKEY"]) == (vkont, "3.75", invoiced["FIKEY"])
    rows = json.loads(sapgw(config, "erp", "read-table", "DFKKOP", "--fields", "VKONT,BETRW",
                            "--json").stdout)
    assert rows == [{"VKONT": vkont, "BETRW": "3.75"}]

    monitor = sapgw(config, "erp", "fp_rai_mon", "--type", "CAFI,CAIN").stdout
    assert "CAFI" in monitor and "CAIN" in monitor and "CLI-1/00000000" in monitor

    again = sapgw(config, "erp", "fkkinv_s", vkont).stdout
    assert f"S FKK_CI 046 No invoicing orders for contract account {vkont}" in again
    missing = sapgw(config, "erp", "fkkbix_s", "999999", check=False)
    assert missing.returncode == 1
    assert "E FKK_CI 002 Contract account 000000999999 does not exist" in missing.stderr
