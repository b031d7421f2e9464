"""Every message the ERP stub can send has its text in T100, and T100 is readable over RFC."""

from __future__ import annotations

import re
from pathlib import Path

from sapgw.erp_stub import APPLICATIONS, ErpSystem
from sapgw.erp_stub.kernel.messages import KERNEL_MESSAGES, bapiret2, known, register
from sapgw.erp_stub.rar_system import APPLICATIONS as RAR_APPLICATIONS

ERP_STUB = Path(__file__).resolve().parents[2] / "src" / "sapgw" / "erp_stub"
# ("F5", "165") as bapiret2/text/Messages take them, and ("NR", "E", "752") as the pyrfc-shaped
# ABAP errors take class, type and number.
MESSAGE = re.compile(r'"([A-Z][A-Z0-9_]{1,19})",\s*(?:"[EAWISX]",\s*)?"(\d{3})"')
# Look-alikes that are no message: fi/validation.py pairs a field name with an F5 number.
NOT_MESSAGES = {("CUSTOMER", "102"), ("VENDOR_NO", "104")}


def _used() -> set[tuple[str, str]]:
    used = set()
    for path in ERP_STUB.rglob("*.py"):
        if path.name == "messages.py":
            continue
        used |= set(MESSAGE.findall(path.read_text(encoding="utf-8")))
    return used - NOT_MESSAGES


def test_every_message_in_the_code_has_a_text(erp: ErpSystem) -> None:
    for app in RAR_APPLICATIONS:  # the second system (RAR) has applications of its own
        register(app.messages)
    used = _used()
    assert len(used) > 80  # the scan finds the calls (it cannot pass by finding none)
    assert sorted(m for m in used if not known(*m)) == []


def test_texts_fit_t100() -> None:
    for messages in [KERNEL_MESSAGES, *(app.messages for app in (*APPLICATIONS,
                                                                 *RAR_APPLICATIONS))]:
        for msg_class, numbers in messages.items():
            for number, template in numbers.items():
                assert len(template) <= 73, (msg_class, number)
                assert re.fullmatch(r"\d{3}", number), (msg_class, number)


def test_t100_is_read_with_rfc_read_table(erp: ErpSystem) -> None:
    result = erp.connect().call("RFC_READ_TABLE", QUERY_TABLE="T100", DELIMITER="|",
                                FIELDS=[{"FIELDNAME": "TEXT"}],
                                OPTIONS=[{"TEXT": "ARBGB = 'F5' AND MSGNR = '165'"}])
    assert [row["WA"] for row in result["DATA"]] == ["Company code &1 is not defined"]


def test_a_message_goes_out_with_its_text() -> None:
    row = bapiret2("E", "F5", "165", "9999")
    assert row["MESSAGE"] == "Company code 9999 is not defined"
