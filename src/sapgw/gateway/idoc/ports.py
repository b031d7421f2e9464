"""Ports (WE21): where outbound IDocs go and where inbound files come from, table EDIPO.

Three port types, as SAP's WE21 has them:
- `XML-HTTP`: IDoc-XML is POSTed to `url` (SAP: an SM59 type G destination). User and
  password, if the partner needs them, go into the URL (`https://user:pw@host/...`).
- `FILE`: outbound IDocs are written to `directory` under `file_name` (placeholders
  `{DOCNUM} {MESTYP} {IDOCTYP} {RCVPRN} {SNDPRN} {CREDAT} {CRETIM}`) as IDoc-XML or flat
  records (`file_format`); `inbound_directory`, when set, is polled for inbound files.
- `TRFC`: IDOC_INBOUND_ASYNCHRONOUS is called as a tRFC unit through the RFC `destination`
  (config.ini); one TID per IDoc, kept across retries, so the receiver runs it once.

A port failure leaves the IDoc in 02; it is sent again after `retry_interval` seconds,
multiplied by `retry_backoff` after each failure, at most `retry_count` times (SM59-like).
"""

from __future__ import annotations

import re
import string
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Field

from sapgw.db import Database
from sapgw.gateway.store.tables import GatewayTable

PORT_TYPES = ("XML-HTTP", "FILE", "TRFC")
FILE_FORMATS = ("XML", "FLAT")
FILE_NAME_FIELDS = frozenset({"DOCNUM", "MESTYP", "IDOCTYP", "RCVPRN", "SNDPRN", "CREDAT",
                              "CRETIM"})
PORT_NAME = re.compile(r"^[A-Z0-9_]{1,10}$")


class EDIPO(GatewayTable, table=True):
    __tablename__ = "edipo"
    PORT: str = Field(primary_key=True, max_length=10)
    type: str = Field(max_length=10)
    url: str = ""
    directory: str = ""
    inbound_directory: str = ""
    file_name: str = ""
    file_format: str = Field(default="XML", max_length=4)
    destination: str = Field(default="", max_length=32)
    timeout: float = 30.0
    retry_count: int = 5
    retry_interval: float = 60.0
    retry_backoff: float = 2.0


T = EDIPO.__table__  # type: ignore[attr-defined]


class InvalidPort(ValueError):
    """A port definition that cannot work; the message lists every problem."""


@dataclass(frozen=True)
class Port:
    PORT: str
    type: str
    url: str = field(default="", repr=False)  # may hold a password
    directory: str = ""
    inbound_directory: str = ""
    file_name: str = ""
    file_format: str = "XML"
    destination: str = ""
    timeout: float = 30.0
    retry_count: int = 5
    retry_interval: float = 60.0
    retry_backoff: float = 2.0

    def problems(self) -> list[str]:
        """Every reason this port could not be used (empty: it can)."""
        found = []
        if not PORT_NAME.match(self.PORT):
            found.append(f"port name {self.PORT!r}: 1-10 characters A-Z, 0-9, _")
        if self.type not in PORT_TYPES:
            found.append(f"type {self.type!r}: one of {', '.join(PORT_TYPES)}")
        needs = {"XML-HTTP": ("url", self.url), "TRFC": ("destination", self.destination)}
        if self.type in needs and not needs[self.type][1]:
            found.append(f"a {self.type} port needs a {needs[self.type][0]}")
        if self.type == "XML-HTTP" and self.url and not self.url.startswith(("http://",
                                                                             "https://")):
            found.append(f"url {self.url!r}: must start with http:// or https://")
        if self.type == "FILE":
            if not (self.directory or self.inbound_directory):
                found.append("a FILE port needs a directory, an inbound_directory or both")
            if self.file_format not in FILE_FORMATS:
                found.append(f"file_format {self.file_format!r}: XML or FLAT")
            found += _file_name_problems(self.file_name)
        if self.retry_count < 0 or self.retry_interval <= 0 or self.retry_backoff < 1:
            found.append("retry_count >= 0, retry_interval > 0 and retry_backoff >= 1")
        if self.timeout <= 0:
            found.append("timeout > 0")
        return found

    def shown(self) -> dict[str, Any]:
        """The port for lists and answers: a password in the URL is masked."""
        return {**asdict(self), "url": masked_url(self.url)}

    def output_file_name(self, control: dict[str, str]) -> str:
        """The outbound file's name from the pattern and the IDoc's control record."""
        pattern = self.file_name or ("{MESTYP}_{DOCNUM}.xml" if self.file_format == "XML"
                                     else "{MESTYP}_{DOCNUM}.txt")
        values = {name: control.get(name, "").replace("/", "_").replace("\\", "_")
                  for name in FILE_NAME_FIELDS}  # a value never makes a path
        return pattern.format_map(values)

    def retry_delay(self, attempts: int) -> float:
        """Seconds before the next try after `attempts` failed ones."""
        return self.retry_interval * self.retry_backoff ** max(attempts - 1, 0)


def masked_url(url: str) -> str:
    """`https://user:secret@host/...` as `https://user:***@host/...`."""
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    if "@" not in authority:
        return url
    credentials, host = authority.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{host}{slash}{path}"


def _file_name_problems(pattern: str) -> list[str]:
    if not pattern:
        return []
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name}
    except ValueError as error:
        return [f"file_name {pattern!r}: {error}"]
    problems = [f"file_name {pattern!r}: unknown placeholder {{{name}}}; known: "
                f"{', '.join(sorted(FILE_NAME_FIELDS))}"
                for name in sorted(names - FILE_NAME_FIELDS)]
    if not problems:  # a format spec or a positional field fails only when filled in
        try:
            pattern.format_map(dict.fromkeys(FILE_NAME_FIELDS, "X"))
        except (ValueError, IndexError, KeyError, AttributeError, TypeError) as error:
            problems.append(f"file_name {pattern!r}: {error}")
    if "/" in pattern or "\\" in pattern or pattern.startswith("."):
        problems.append(f"file_name {pattern!r}: a name, not a path (no / or leading .)")
    return problems


class PortStore:
    """Read and save WE21 port definitions."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.create_all(GatewayTable.metadata)

    def get(self, name: str) -> Port | None:
        with self.db.read() as conn:
            row = conn.execute(select(T).where(T.c.PORT == name)).mappings().first()
        return Port(**row) if row else None

    def all(self) -> list[Port]:
        with self.db.read() as conn:
            return [Port(**row) for row in conn.execute(select(T).order_by(T.c.PORT)).mappings()]

    def put(self, port: Port) -> None:
        """Create or replace a port (WE21 save); refused with every problem when invalid."""
        problems = port.problems()
        if problems:
            raise InvalidPort(f"port {port.PORT}: " + "; ".join(problems))
        with self.db.write() as conn:
            conn.execute(T.delete().where(T.c.PORT == port.PORT))
            conn.execute(insert(T).values(**asdict(port)))
