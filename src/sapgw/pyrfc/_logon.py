"""Logon parameters: pyrfc's checks, `dest=` entries of sapnwrfc.ini, and where they lead.

pyrfc hands its parameters to the NW RFC SDK, which reaches an application server. Here they
lead to a sapgw server's JSON RFC, by this rule (docs/PYRFC.md, "The logon rule"):

1. The environment variable `SAPGW_RFC_URL` (e.g. `http://127.0.0.1:8080`), when set, is the
   server for every connection; the pytest plugin's `sapgw_pyrfc` fixture sets it to the
   `sapgw_server` it starts. Code keeps its own `ashost`/`dest` and still reaches sapgw.
2. Otherwise `ashost` (or `mshost`, `wshost`) and `sysnr` name the server as SAP's ICM
   does: `http://<ashost>:80<sysnr>` (port 8000 for system number 00); `wshost` with `wsport`
   gives `https://<wshost>:<wsport>` (`use_tls=0`: http).

As with the SDK, a connection needs a host parameter (`ashost`, `mshost`, `gwhost`, `wshost`,
directly or from the `dest` entry) even when `SAPGW_RFC_URL` decides where it goes.
`user` and `passwd` log on with HTTP Basic (a server with `[auth]` users checks them);
`client` and `lang` are reported by `get_connection_attributes` (sapgw has one client).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sapgw.pyrfc._exception import RFCError, invalid_parameter

URL_VARIABLE = "SAPGW_RFC_URL"
MISSING_HOST = "Parameter ASHOST, GWHOST, MSHOST or SERVER_PORT is missing."
_HOSTS = ("ashost", "mshost", "gwhost", "wshost")
_ini: dict[str, Any] = {"dir": None, "entries": None}


def set_ini_file_directory(path: Any) -> None:
    """Where sapnwrfc.ini is read from (else the current directory), as PyRFC's."""
    if not isinstance(path, str):
        raise TypeError("sapnwrfc.ini path is not a string:", path)
    if not (Path(path) / "sapnwrfc.ini").is_file():
        raise TypeError("sapnwrfc.ini not found in:", path)
    _ini.update(dir=path, entries=None)


def reload_ini_file() -> None:
    """Read sapnwrfc.ini again at the next `dest=` logon."""
    _ini["entries"] = None


def parse_ini(text: str) -> dict[str, dict[str, str]]:
    """sapnwrfc.ini: `KEY=VALUE` lines, `#` comments, each entry starting with `DEST=`; the
    keys of a `DEFAULT` entry apply to every destination."""
    entries: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = (part.strip() for part in line.split("=", 1))
        if key.upper() == "DEST":
            current = entries.setdefault(value.upper(), {})
        elif current is not None:
            current[key.lower()] = value
    default = entries.pop("DEFAULT", {})
    return {name: {**default, **entry} for name, entry in entries.items()}


def _ini_entry(dest: str) -> dict[str, str]:
    if _ini["entries"] is None:
        path = Path(_ini["dir"] or ".") / "sapnwrfc.ini"
        _ini["entries"] = parse_ini(path.read_text(encoding="utf-8")) if path.is_file() else {}
    entry = _ini["entries"].get(dest.upper())
    if entry is None:
        raise invalid_parameter(f"Parameter ASHOST, GWHOST, MSHOST or SERVER_PORT is "
                                f"missing. (destination {dest} is not in sapnwrfc.ini)")
    return dict(entry)


def logon_parameters(params: dict[str, Any]) -> dict[str, str]:
    """pyrfc's checks of `**params`, names lower-cased, a `dest=` entry merged in."""
    if not params:
        raise RFCError("Connection parameters missing")
    for name, value in params.items():
        if not isinstance(value, str):
            raise RFCError(f"Connection parameter '{name}' value is not string")
    merged = {name.lower(): value for name, value in params.items()}
    if "dest" in merged:
        merged = {**_ini_entry(merged["dest"]), **merged}
    if not any(merged.get(host) for host in _HOSTS):
        raise invalid_parameter(MISSING_HOST)
    return merged


def server_url(params: dict[str, str]) -> str:
    """The sapgw server the parameters lead to (the rule in this module's docstring)."""
    url = os.environ.get(URL_VARIABLE, "").strip()
    if url:
        return url.rstrip("/")
    sysnr = params.get("sysnr", "00")
    if params.get("wshost"):
        scheme = "http" if params.get("use_tls") == "0" else "https"
        return f"{scheme}://{params['wshost']}:{params.get('wsport', '443')}"
    host = params.get("ashost") or params.get("mshost") or params.get("gwhost")
    if not (sysnr.isdigit() and len(sysnr) == 2):
        raise invalid_parameter(f"Parameter SYSNR must be two digits, found '{sysnr}'")
    return f"http://{host}:80{sysnr}"
