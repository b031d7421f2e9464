"""tRFC, qRFC and bgRFC units through sapgw.pyrfc onto JSON RFC units."""

import pytest

from sapgw import pyrfc

pytestmark = pytest.mark.server
CALL = ("STFC_CONNECTION", {"REQUTEXT": "unit"})


def test_trfc_unit_submit_and_confirm(conn):
    unit = conn.initialize_unit(background=False)
    assert len(unit["id"]) == 24 and unit["queued"] is False
    assert conn.fill_and_submit_unit(unit, [CALL]) is unit
    assert conn.get_connection_attributes()["active_unit"] is True
    with pytest.raises(pyrfc.RFCError, match="There is an active unit"):
        conn.fill_and_submit_unit(conn.initialize_unit(background=False), [CALL])
    with pytest.raises(pyrfc.RFCError, match="No state check possible of non-bgRFC units"):
        conn.get_unit_state(unit)
    conn.confirm_unit(unit)
    with pytest.raises(pyrfc.RFCError, match="No transaction handle"):
        conn.confirm_unit(unit)
    # the same TID again, on a new connection: acknowledged, not run twice
    conn.reopen()
    conn.fill_and_submit_unit(unit, [CALL])
    conn.destroy_unit(unit)


def test_qrfc_and_bgrfc_units(conn):
    unit = conn.initialize_unit(background=False)
    conn.fill_and_submit_unit(unit, [CALL, CALL], queue_names=["ZQUEUE"])
    assert unit["queued"] is True
    conn.confirm_unit(unit)
    background = conn.initialize_unit()
    assert len(background["id"]) == 32
    conn.fill_and_submit_unit(background, [CALL], queue_names=["ZBG"],
                              attributes={"user": "DEMO", "lock": 0})
    assert conn.get_unit_state(background) == "committed"  # the bare ERP runs it at once
    conn.confirm_unit(background)


def test_unit_argument_checks(conn):
    unit = conn.initialize_unit(background=False)
    with pytest.raises(pyrfc.RFCError, match="must be a boolean"):
        conn.initialize_unit(background=1)
    with pytest.raises(TypeError, match="Parameter 'unit' not valid"):
        conn.fill_and_submit_unit({"id": "x"}, [CALL])
    with pytest.raises(TypeError, match="at least on call description"):
        conn.fill_and_submit_unit(unit, [])
    with pytest.raises(TypeError, match="valid call descriptions"):
        conn.fill_and_submit_unit(unit, [("STFC_CONNECTION", "REQUTEXT")])
    with pytest.raises(TypeError, match="must be 24 chars, found 3"):
        conn.fill_and_submit_unit({**unit, "id": "ABC"}, [CALL])
    with pytest.raises(pyrfc.RFCError, match="t/qRFC only support one queue name"):
        conn.fill_and_submit_unit(unit, [CALL], queue_names=["A", "B"])
    with pytest.raises(pyrfc.RFCError, match="t/qRFC does not support attributes"):
        conn.fill_and_submit_unit(unit, [CALL], attributes={"user": "X"})
    with pytest.raises(TypeError) as wrong:  # every call is checked as `call` checks it
        conn.fill_and_submit_unit(unit, [("STFC_CONNECTION", {"REQUTEXT": 1})])
    assert wrong.value.args[-1] == "REQUTEXT"
    with pytest.raises(pyrfc.ABAPApplicationError, match="Number:046 Z_NOPE"):
        conn.fill_and_submit_unit(unit, [("Z_NOPE", {})])
