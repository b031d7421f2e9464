"""`[job NAME]` sections of config.ini: an RFC function of a destination, its parameters and
its schedule (SM36, ours). docs/JOBS.md describes the format.

    [job CAT7]
    function = CATS_TRANSFER_TO_CO        ; an RFC function of the destination
    parameters = {"TESTRUN": ""}          ; its parameters, one JSON object (default {})
    cron = 0 2 * * *                      ; five-field crontab (UTC), or instead:
    ; interval = 3600                     ; seconds between runs, counted from 2000-01-01 UTC
    destination = ERP                     ; default: [gateway] serve_rfc, else ERP
    enabled = yes

Every problem is reported with section and key, like the rest of config.ini.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol

KEYS = ("function", "parameters", "cron", "interval", "destination", "enabled")


class _Reader(Protocol):
    def named(self, kind: str) -> list[str]: ...
    def get(self, section: str, key: str, default: str = "") -> str: ...
    def problem(self, section: str, key: str, reason: str) -> None: ...
    def boolean(self, section: str, key: str, default: bool) -> bool: ...
    def number(self, section: str, key: str, default: float, low: float,
               high: float) -> float: ...
    def options(self, section: str) -> list[str]: ...


@dataclass(frozen=True)
class JobSettings:
    """One background job definition (SM36)."""

    name: str
    function: str
    destination: str
    parameters: dict[str, Any] = field(default_factory=dict)
    cron: str = ""            # crontab, UTC
    interval: float = 0.0     # seconds; used when cron is empty
    enabled: bool = True

    @property
    def schedule(self) -> str:
        return f"cron {self.cron}" if self.cron else f"every {self.interval:g} s"


def read_jobs(reader: _Reader, destinations: dict[str, Any], default_destination: str
              ) -> dict[str, JobSettings]:
    """Every `[job NAME]` section, checked; problems go to the reader."""
    return {name: _job(reader, name, destinations, default_destination)
            for name in reader.named("job")}


def _job(reader: _Reader, name: str, destinations: dict[str, Any],
         default_destination: str) -> JobSettings:
    section = f"job {name}"
    for key in reader.options(section):
        if key not in KEYS:
            reader.problem(section, key, f"unknown key; known: {', '.join(KEYS)}")
    function = reader.get(section, "function").upper()
    if not function:
        reader.problem(section, "function", "is required: the RFC function the job calls")
    destination = reader.get(section, "destination") or default_destination or "ERP"
    if destination not in destinations:
        reader.problem(section, "destination", f"no [destination {destination}] section")
    parameters = _parameters(reader, section)
    cron, interval = reader.get(section, "cron"), reader.get(section, "interval")
    seconds = 0.0
    if bool(cron) == bool(interval):
        reader.problem(section, "cron", "give either cron (crontab) or interval (seconds)")
    elif cron:
        _check_cron(reader, section, cron)
    else:
        seconds = reader.number(section, "interval", 3600.0, 0.5, 366 * 86400)
    return JobSettings(name, function, destination, parameters, cron, seconds,
                       reader.boolean(section, "enabled", True))


def _parameters(reader: _Reader, section: str) -> dict[str, Any]:
    raw = reader.get(section, "parameters") or "{}"
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        reader.problem(section, "parameters", f"is not JSON: {exc.msg} at column {exc.colno}")
        return {}
    if not isinstance(value, dict):
        reader.problem(section, "parameters", "must be a JSON object of parameter: value")
        return {}
    return value


def _check_cron(reader: _Reader, section: str, cron: str) -> None:
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger.from_crontab(cron, timezone="UTC")
    except ValueError as exc:
        reader.problem(section, "cron", f"{cron!r} is not a crontab (minute hour day month "
                       f"weekday): {exc}")
