"""Shared fixtures: a `database` for every backend, so one contract suite serves them all.

PostgreSQL tests are never skipped: if the server on 127.0.0.1:5432 cannot be reached they
fail and say how to start it. Each test works in fresh schemas of its own (`t_<pid>_<hex>`),
dropped afterwards, so runs never see each other's rows.
"""

from __future__ import annotations

import configparser
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from sapgw.db import Database

if TYPE_CHECKING:
    from sapgw.clock import Clock
    from sapgw.gateway.runtime import Gateway

POSTGRES_URL = os.environ.get("SAPGW_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_reachable: dict[str, str] = {}  # URL -> "" if reachable, else the reason it is not


def fresh_schema() -> str:
    """A schema name no other test run uses."""
    return f"t_{os.getpid()}_{secrets.token_hex(4)}"


def require_postgres(url: str = POSTGRES_URL) -> str:
    """The URL, once the server answered; otherwise fail the test with what to do."""
    if url not in _reachable:
        engine = create_engine(url, connect_args={"connect_timeout": 5})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            _reachable[url] = ""
        except OperationalError as exc:
            _reachable[url] = str(exc.orig).strip()
        finally:
            engine.dispose()
    if _reachable[url]:
        pytest.fail(f"PostgreSQL at {url} is not reachable ({_reachable[url]}); start it with "
                    "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`"
                    " or set SAPGW_TEST_POSTGRES_URL", pytrace=False)
    return url


@contextmanager
def postgres_database() -> Iterator[Database]:
    """A `Database` in a fresh PostgreSQL schema, dropped with everything in it afterwards."""
    db = Database(require_postgres(), fresh_schema())
    try:
        yield db
    finally:
        db.drop_schema()
        db.dispose()


@contextmanager
def postgres_gateway(clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gateway]:
    """The repository's config.ini with the gateway and its ERP stub on PostgreSQL, each in a
    fresh schema of its own; those schemas and the ones of the other local systems (RAR's
    `<erp schema>_rar`) are dropped afterwards."""
    from sapgw.gateway.config import parse_settings
    from sapgw.gateway.rfc.destinations import local_database
    from sapgw.gateway.runtime import DEFAULT_CONFIG, Gateway

    monkeypatch.delenv("SAPGW_DB_URL", raising=False)
    monkeypatch.delenv("SAPGW_ERP_DB_URL", raising=False)
    url = require_postgres()
    schemas = {"gateway": fresh_schema(), "erp": fresh_schema()}
    parser = configparser.ConfigParser(inline_comment_prefixes=(";", "#"), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEFAULT_CONFIG, encoding="utf-8")
    for section, schema in schemas.items():
        parser[section]["db_url"] = url
        parser[section]["db_schema"] = schema
    settings = parse_settings(parser, DEFAULT_CONFIG.parent, None)
    own = {local_database(settings, dest) for dest in settings.destinations.values()
           if dest.type == "local"}
    drop = set(schemas.values()) | {schema for db_url, schema in own if db_url == url and schema}
    try:
        with Gateway(settings, clock) as gw:
            yield gw
    finally:
        for schema in sorted(drop):
            db = Database(url, schema)
            db.drop_schema()
            db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database: a SQLite file (WAL) in tmp_path, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'test.db'}")
        try:
            yield db
        finally:
            db.dispose()
    else:
        with postgres_database() as db:
            yield db
