"""The ABAP types end to end: pyrfc's input checks, JSON RFC, the stub, and back (and SOAP)."""

from decimal import Decimal

import pytest
import zeep

from sapgw import pyrfc

pytestmark = pytest.mark.server
DATATYPES = "/COE/RBP_FE_DATATYPES"
BYTES_TEST = bytes.fromhex("01414243444549500051fdfeff")


def _echo(conn, **fields):
    return conn.call(DATATYPES, IS_INPUT=fields, IV_COUNT=0)["ES_OUTPUT"]


@pytest.mark.parametrize(("params", "expected"), [
    ({"IMPORTSTRUCT": [{}]}, ("dictionary required for structure parameter, received",
                              "<class 'list'>", "IMPORTSTRUCT")),
    ({"RFCTABLE": {}}, ("list required for table parameter, received", "<class 'dict'>",
                        "RFCTABLE")),
    ({"IMPORTSTRUCT": {"RFCINT1": "1"}}, ("an integer required, received", "1", "of type",
                                          str, "RFCINT1", "IMPORTSTRUCT")),
    ({"RFCTABLE": [{"RFCINT1": 1.0}]}, ("an integer required, received", 1.0, "of type",
                                        float, "RFCINT1", "RFCTABLE")),
    ({"IMPORTSTRUCT": {"RFCCHAR4": None}}, ("an string is required, received", None, "of type",
                                            type(None), "RFCCHAR4", "IMPORTSTRUCT")),
    ({"IMPORTSTRUCT": {"RFCFLOAT": "1,2"}}, ("a decimal value required, received", "1,2",
                                             "of type", str, "RFCFLOAT", "IMPORTSTRUCT")),
    ({"IMPORTSTRUCT": {"RFCDATE": "2016123"}}, ("date value required, received", "2016123",
                                                "of type", str, "RFCDATE", "IMPORTSTRUCT")),
    ({"IMPORTSTRUCT": {"RFCDATE": "20161232"}}, ("date value required, received", "20161232",
                                                 "of type", str, "RFCDATE", "IMPORTSTRUCT")),
    ({"IMPORTSTRUCT": {"RFCTIME": 123456}}, ("time value required, received", 123456,
                                             "of type", int, "RFCTIME", "IMPORTSTRUCT")),
])
def test_type_errors_are_pyrfcs(conn, params, expected):
    with pytest.raises(TypeError) as error:
        conn.call("STFC_STRUCTURE", **params)
    assert error.value.args == expected


@pytest.mark.parametrize("value", [1, "a1", "", " "])
def test_numc_takes_digit_strings_only(conn, value):
    with pytest.raises(TypeError) as error:
        _echo(conn, ZNUMC=value)
    assert error.value.args[0] == "a numeric string is required, received"
    assert error.value.args[4:] == ("ZNUMC", "IS_INPUT")


def test_unknown_field_and_parameter(conn):
    with pytest.raises(pyrfc.ExternalRuntimeError) as field:
        conn.call("STFC_STRUCTURE", RFCTABLE=[{"XRFCCHAR1": "A"}])
    with pytest.raises(pyrfc.ExternalRuntimeError) as param:
        conn.call("STFC_CONNECTION", undefined=0)
    assert (field.value.code, field.value.message) == (20, "field 'XRFCCHAR1' not found")
    assert (param.value.key, param.value.message) == ("RFC_INVALID_PARAMETER",
                                                      "field 'undefined' not found")


@pytest.mark.parametrize("form", [float, Decimal, str])
def test_numbers_round_trip(conn, form):
    values = {"ZFLTP": "0.123456789", "ZDEC": "12345.67", "ZCURR": "1234.56",
              "ZQUAN": "12.3456", "ZQUAN_SIGN": "-12.345", "ZDECF16_MIN": "12345.67",
              "ZDECF34_MIN": "12345.67"}
    sent = {name: form(value) for name, value in values.items()}
    out = _echo(conn, **sent)
    assert isinstance(out["ZFLTP"], float) and out["ZFLTP"] == 0.123456789
    for name in values.keys() - {"ZFLTP"}:
        assert isinstance(out[name], Decimal) and str(out[name]) == values[name], name


def test_float_and_decfloat_limits(conn):
    limits = {"ZFLTP_MIN": 2.2250738585072014e-308, "ZFLTP_MAX": 1.7976931348623157e308,
              "ZDECF16_MIN": "1E-383", "ZDECF16_MAX": "9.999999999999999E+384",
              "ZDECF34_MIN": "-1E-6143",
              "ZDECF34_MAX": "9.999999999999999999999999999999999E+6144"}
    out = _echo(conn, **limits)
    for name, value in limits.items():
        assert out[name] == (value if isinstance(value, float) else Decimal(value)), name
    with pytest.raises(pyrfc.ExternalRuntimeError) as too_big:
        _echo(conn, ZDECF16_MAX="1E+385")
    assert too_big.value.code == 22 and "DECFLOAT16" in too_big.value.message


def test_integers_and_their_ranges(conn):
    out = _echo(conn, ZINT1=255, ZINT2=-32768, ZINT4=2**31 - 1, ZINT8=-(2**63))
    assert (out["ZINT1"], out["ZINT2"], out["ZINT4"], out["ZINT8"]) == (
        255, -32768, 2**31 - 1, -(2**63))
    for field, value in (("ZINT1", 256), ("ZINT1", -1), ("ZINT2", 32768), ("ZINT8", 2**63)):
        with pytest.raises(pyrfc.ExternalRuntimeError) as error:
            _echo(conn, **{field: value})
        assert (error.value.code, error.value.key) == (22, "RFC_CONVERSION_FAILURE")
        assert field in error.value.message
    with pytest.raises(OverflowError):
        _echo(conn, ZINT4=2**31)


@pytest.mark.parametrize("data", [BYTES_TEST, bytearray(BYTES_TEST)])
def test_raw_is_padded_xstring_is_not(conn, data):
    out = _echo(conn, ZRAW=data, ZRAWSTRING=data)
    assert out["ZRAW"] == BYTES_TEST + b"\x00" * 4 and out["ZRAWSTRING"] == BYTES_TEST
    with pytest.raises(TypeError) as error:
        _echo(conn, ZRAW="0141")
    assert error.value.args == ("expected bytes, str found", "ZRAW", "IS_INPUT")


def test_strings_and_unicode(conn):
    for text in ("四周远处都能望见", "\U0001F4AA", "a\xac\u1234\u20ac\U0001F4AA"):
        assert _echo(conn, ZSHLP_MAT1=text, ZSTRING=text + "  ") == {
            **_echo(conn), "ZSHLP_MAT1": text, "ZSTRING": text}


def test_utclong(conn):
    for value in ("0001-01-01T00:00:00.0000000", "9999-12-31T23:59:59.9999999",
                  "0000-00-00T00:00:00.0000000"):
        assert conn.call("ZDATATYPES", IV_UTCLONG=value)["EV_UTCLONG"] == value
    with pytest.raises(TypeError) as wrong_type:
        conn.call("ZDATATYPES", IV_UTCLONG=1)
    assert wrong_type.value.args == ("an string is required, received", 1, "of type", int,
                                     "IV_UTCLONG")
    with pytest.raises(pyrfc.ExternalRuntimeError) as bad:
        conn.call("ZDATATYPES", IV_UTCLONG="1")
    assert (bad.value.code, bad.value.message) == (
        22, "Cannot convert 1 to RFCTYPE_UTCLONG : illegal format")


def test_tables_of_single_values(conn):
    result = conn.call(DATATYPES, IS_INPUT={"ZSHLP_MAT1": "MAT-1"}, IV_COUNT=2)
    assert result["ET_LINES"] == ["MAT-1", "MAT-1"] and len(result["ET_OUTPUT"]) == 2
    lines = conn.call("ZDATATYPES", IT_LINES=["abc", {"": "def"}])["IT_LINES"]
    assert lines == ["ABC", "DEF"]


def test_locale_radix(conn):
    try:
        pyrfc.set_locale_radix(",")
        with pytest.raises(pyrfc.ExternalRuntimeError) as error:
            conn.call("STFC_STRUCTURE", IMPORTSTRUCT={"RFCFLOAT": "1.2"})
        assert error.value.message == ("Cannot convert string value 1.2 at position 1 for the "
                                       "field RFCFLOAT to type RFCTYPE_FLOAT")
    finally:
        pyrfc.set_locale_radix(".")


def test_date_and_time_initial_and_checks(url):
    checked = pyrfc.Connection(**{"ashost": "h", "user": "u"})
    unchecked = pyrfc.Connection(config={"check_date": False, "check_time": False},
                                 **{"ashost": "h", "user": "u"})
    echo = checked.call("STFC_STRUCTURE", IMPORTSTRUCT={"RFCDATE": "", "RFCTIME": ""})
    assert (echo["ECHOSTRUCT"]["RFCDATE"], echo["ECHOSTRUCT"]["RFCTIME"]) == ("", "000000")
    with pytest.raises(TypeError):
        checked.call("STFC_STRUCTURE", IMPORTSTRUCT={"RFCTIME": "123466"})
    # without the check pyrfc sends it; the ABAP side refuses an impossible time
    with pytest.raises(pyrfc.ExternalRuntimeError) as refused:
        unchecked.call("STFC_STRUCTURE", IMPORTSTRUCT={"RFCTIME": "123466"})
    assert refused.value.code == 22 and "RFCTIME" in refused.value.message
    checked.close()
    unchecked.close()


def test_the_same_types_over_soap(server_url):
    """zeep reads the WSDL of the namespaced function and sends every type through SOAP."""
    wsdl = f"{server_url}/sap/bc/soap/wsdl11?services={DATATYPES}"
    client = zeep.Client(wsdl, transport=zeep.Transport(timeout=10))
    service = client.bind("_-COE_-RBP_FE_DATATYPESService", "_-COE_-RBP_FE_DATATYPESPortType")
    values = {"ZINT1": 255, "ZINT8": -(2**63), "ZFLTP": 0.123456789, "ZRAW": BYTES_TEST,
              "ZRAWSTRING": b"\x00\xff", "ZDECF34_MAX": Decimal("9.999E+20"),
              "ZUTCLONG": "2024-02-29T23:59:59.1234567", "ZQUAN": Decimal("12.3456"),
              "ZSHLP_MAT1": "MAT-1"}
    out = service["_-COE_-RBP_FE_DATATYPES"](IS_INPUT=values, IV_COUNT=1)
    assert (out.ES_OUTPUT.ZINT1, out.ES_OUTPUT.ZINT8, out.ES_OUTPUT.ZFLTP) == (
        255, -(2**63), 0.123456789)
    assert out.ES_OUTPUT.ZRAW == BYTES_TEST + b"\x00" * 4
    assert out.ES_OUTPUT.ZRAWSTRING == b"\x00\xff"
    assert out.ES_OUTPUT.ZDECF34_MAX == Decimal("9.999E+20")
    assert out.ES_OUTPUT.ZUTCLONG == "2024-02-29T23:59:59.1234567"
    assert out.ET_LINES.item == ["MAT-1"]  # a table of single values: <item>MAT-1</item>
