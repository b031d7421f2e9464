"""The switch: code written for pyrfc runs unchanged on sapgw.pyrfc; the logon rule; dest=."""

import sys
import textwrap
import types

import pytest

import sapgw.pyrfc
from sapgw.pyrfc import _logon
from sapgw.pyrfc._logon import server_url

# Written for PyRFC, nothing sapgw in it: the kind of module a user already has.
PYRFC_CODE = textwrap.dedent('''
    from pyrfc import ABAPApplicationError, Connection

    def echo_and_missing_table(**logon):
        with Connection(**logon) as conn:
            echo = conn.call("STFC_CONNECTION", REQUTEXT="Hello SAP")["ECHOTEXT"]
            try:
                conn.call("RFC_READ_TABLE", QUERY_TABLE="T008X")
            except ABAPApplicationError as error:
                return echo, error.key, error.msg_v1
''')


def _user_module() -> types.ModuleType:
    module = types.ModuleType("user_code")
    exec(compile(PYRFC_CODE, "user_code.py", "exec"), module.__dict__)
    return module


@pytest.mark.server
def test_pyrfc_code_runs_unchanged_after_install(sapgw_pyrfc):
    before = sys.modules.get("pyrfc")
    sapgw.pyrfc.install()
    try:
        assert sys.modules["pyrfc"] is sapgw.pyrfc
        result = _user_module().echo_and_missing_table(ashost="s4.example.com", sysnr="00",
                                                       client="100", user="RFC_USER",
                                                       passwd="secret", lang="EN")
    finally:
        sapgw.pyrfc.uninstall()
    assert result == ("Hello SAP", "TABLE_NOT_AVAILABLE", "T008X")
    assert sys.modules.get("pyrfc") is before  # a real pyrfc (or none) is back


def test_install_twice_and_uninstall_restore_what_was_there(monkeypatch):
    real = types.ModuleType("pyrfc")  # stands for SAP's package, used by the bridge
    monkeypatch.setitem(sys.modules, "pyrfc", real)
    sapgw.pyrfc.install()
    sapgw.pyrfc.install()
    assert sys.modules["pyrfc"] is sapgw.pyrfc
    sapgw.pyrfc.uninstall()
    assert sys.modules["pyrfc"] is real


def test_the_logon_rule(monkeypatch):
    monkeypatch.delenv("SAPGW_RFC_URL", raising=False)
    assert server_url({"ashost": "erp.example", "sysnr": "01"}) == "http://erp.example:8001"
    assert server_url({"ashost": "erp.example"}) == "http://erp.example:8000"
    assert server_url({"wshost": "s4", "wsport": "44300"}) == "https://s4:44300"
    monkeypatch.setenv("SAPGW_RFC_URL", "http://127.0.0.1:9999/")
    assert server_url({"ashost": "erp.example", "sysnr": "01"}) == "http://127.0.0.1:9999"


@pytest.mark.server
def test_dest_from_sapnwrfc_ini(tmp_path, url, monkeypatch):
    monkeypatch.setitem(_logon._ini, "dir", None)  # restored afterwards
    (tmp_path / "sapnwrfc.ini").write_text(textwrap.dedent("""\
        DEFAULT
        RFC_TRACE=0
        # the ERP sandbox
        DEST=MME
        USER=demo
        PASSWD=welcome
        ASHOST=erp.example
        SYSNR=00
        CLIENT=620
        LANG=EN
        """))
    with pytest.raises(TypeError) as no_file:
        sapgw.pyrfc.set_ini_file_directory(str(tmp_path / "nowhere"))
    assert no_file.value.args[0] == "sapnwrfc.ini not found in:"
    sapgw.pyrfc.set_ini_file_directory(str(tmp_path))
    with sapgw.pyrfc.Connection(dest="MME") as conn:
        attributes = conn.get_connection_attributes()
        assert (attributes["dest"], attributes["client"], attributes["user"]) == (
            "MME", "620", "DEMO")
    with pytest.raises(sapgw.pyrfc.ExternalRuntimeError) as unknown:
        sapgw.pyrfc.Connection(dest="NOPE")
    assert unknown.value.code == 20 and "NOPE" in unknown.value.message
