"""Passing one outbound IDoc to its port: XML-HTTP POST, a file, or a tRFC unit.

`transfer` answers what happened in status terms: passed to the port (03) and, where the
other side confirms receipt, dispatched (12): a 2xx HTTP answer, a confirmed tRFC unit. A
file has nobody to confirm it, so a FILE port ends at 03. Every failure, whatever its cause
(refused connection, HTTP 500, a full disk, an RFC error), becomes `TransferFailed` with a
reason a person can act on; the caller records it as status 02 and retries.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

from sapgw.gateway.idoc.flat_format import write_flat, write_records
from sapgw.gateway.idoc.model import Idoc, IdocFormatError
from sapgw.gateway.idoc.ports import Port, masked_url
from sapgw.gateway.idoc.xml_format import write_idoc_xml
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import RFCError

INBOUND_FUNCTION = "IDOC_INBOUND_ASYNCHRONOUS"
REASON_LENGTH = 220  # a status text, not a dump of the partner's error page


class TransferFailed(Exception):
    """The port did not take the IDoc (status 02); `str()` is the reason."""


@dataclass(frozen=True)
class Delivery:
    """What the port did, for the status texts: `passed` (03) and, if any, `confirmed` (12)."""

    passed: str
    confirmed: str = ""


def transfer(port: Port, idoc: Idoc, tid: str,
             connect: Callable[[str], RfcConnection]) -> Delivery:
    """Pass `idoc` to `port`; `tid` identifies the tRFC unit (the same on every retry)."""
    try:
        if port.type == "XML-HTTP":
            return _post(port, idoc)
        if port.type == "FILE":
            return _write(port, idoc)
        if port.type == "TRFC":
            return _call(port, idoc, tid, connect)
    except IdocFormatError as error:
        raise TransferFailed(f"IDoc cannot be written: {error}") from error
    raise TransferFailed(f"port {port.PORT} has type {port.type}, which cannot send")


def _post(port: Port, idoc: Idoc) -> Delivery:
    body = write_idoc_xml([idoc])
    try:
        answer = requests.post(port.url, data=body, timeout=port.timeout,
                               headers={"Content-Type": "application/xml; charset=utf-8"})
    except requests.RequestException as error:
        raise TransferFailed(_short(f"HTTP to {masked_url(port.url)} failed: "
                                    f"{type(error).__name__}: {error}")) from error
    if not 200 <= answer.status_code < 300:
        raise TransferFailed(_short(f"HTTP {answer.status_code} {answer.reason} from "
                                    f"{masked_url(port.url)}: {answer.text.strip()}"))
    return Delivery(f"POST {masked_url(port.url)}, {len(body)} bytes",
                    f"HTTP {answer.status_code} {answer.reason}")


def _write(port: Port, idoc: Idoc) -> Delivery:
    """Write under a temporary name, then rename: a reader never sees half a file."""
    content = (write_idoc_xml([idoc]) if port.file_format == "XML"
               else write_flat([idoc]).encode("utf-8"))
    directory = Path(port.directory)
    target = directory / port.output_file_name(idoc.control)
    partial = directory / f".{target.name}.part"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(content)
        os.replace(partial, target)
    except OSError as error:
        raise TransferFailed(_short(f"file {target} not written: {error}")) from error
    return Delivery(f"file {target}")


def _call(port: Port, idoc: Idoc, tid: str, connect: Callable[[str], RfcConnection]
          ) -> Delivery:
    controls, data = write_records([idoc])
    unit = {"id": tid, "background": False, "queued": False}
    try:
        with connect(port.destination) as conn:
            conn.fill_and_submit_unit(unit, [(INBOUND_FUNCTION, {
                "IDOC_CONTROL_REC_40": controls, "IDOC_DATA_REC_40": data})])
            conn.confirm_unit(unit)
    except (RFCError, LookupError) as error:
        text = getattr(error, "message", "") or str(error)
        raise TransferFailed(_short(f"tRFC {tid} to {port.destination} failed: "
                                    f"{type(error).__name__}: {text}")) from error
    return Delivery(f"tRFC {tid} to {port.destination}", f"tRFC {tid} confirmed")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= REASON_LENGTH else text[:REASON_LENGTH - 1] + "…"
