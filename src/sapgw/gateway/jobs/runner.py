"""The background job runner: fires `[job …]` definitions on their schedule and keeps SM37.

APScheduler (the scheduler `sapgw serve` and every `sapgw worker` already run for
housekeeping) fires each job in every process; the run of one occurrence is claimed by
inserting its SM37 row (`store.claim`), so only one process runs it. The occurrence is the
latest moment of the job's schedule not after the gateway's clock: a cron time, or a
multiple of the interval counted from 2000-01-01 UTC, the same in every process. (A frozen
clock therefore runs each occurrence once, until the clock moves.) The call goes to the job's
destination like any client's; its RETURN rows become the run's log. A run whose call
raises (communication failure, ABAP error) is cancelled (A) with the error as its log.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.gateway.jobs import store
from sapgw.gateway.jobs.settings import JobSettings
from sapgw.rfc.connection import RfcConnection

log = logging.getLogger("sapgw.jobs")

ANCHOR = datetime(2000, 1, 1, tzinfo=UTC)
CRON_LOOKBACK = timedelta(days=1)
MAX_LOG_ROWS = 500


class JobRunner:
    def __init__(self, db: Database, connect: Callable[[str], RfcConnection], clock: Clock,
                 jobs: dict[str, JobSettings]) -> None:
        self.db = db
        self.connect = connect
        self.clock = clock
        self.jobs = jobs
        self.process = f"{socket.gethostname()}:{os.getpid()}"[:80]

    def schedule(self, scheduler: Any) -> None:
        """Add every enabled job to an APScheduler scheduler (fires in every process)."""
        for job in self.jobs.values():
            if not job.enabled:
                continue
            trigger: Any = (CronTrigger.from_crontab(job.cron, timezone="UTC") if job.cron
                            else None)
            options: dict[str, Any] = {"max_instances": 1, "coalesce": True,
                                       "id": f"sapgw-job-{job.name}", "name": job.name}
            if trigger is not None:
                scheduler.add_job(self.run_due, trigger, args=(job.name,), **options)
            else:
                scheduler.add_job(self.run_due, "interval", args=(job.name,),
                                  seconds=job.interval, start_date=ANCHOR, **options)

    def occurrence(self, job: JobSettings, now: datetime) -> datetime:
        """The job's latest scheduled moment not after `now`."""
        if not job.cron:
            step = timedelta(seconds=job.interval)
            return ANCHOR + step * ((now - ANCHOR) // step)
        trigger = CronTrigger.from_crontab(job.cron, timezone="UTC")
        found, moment = now, trigger.get_next_fire_time(None, now - CRON_LOOKBACK)
        while moment is not None and moment <= now:
            found = moment
            moment = trigger.get_next_fire_time(moment, moment + timedelta(seconds=1))
        return found

    def run_due(self, name: str, now: datetime | None = None) -> dict[str, Any] | None:
        """Run the job's current occurrence unless some process has run it; the run's SM37
        row, or None when it was not this process's to run."""
        job = self.jobs[name]
        moment = self.occurrence(job, now or self.clock.now())
        return self._run(job, moment.astimezone(UTC).isoformat(timespec="seconds"))

    def run_now(self, name: str) -> dict[str, Any]:
        """Run the job at once, outside its schedule (SM36 'immediately')."""
        job = self.jobs[name]
        run = self._run(job, f"manual-{self.clock.now().isoformat()}-{os.getpid()}")
        if run is None:  # the same process, the same microsecond: cannot happen twice
            raise RuntimeError(f"job {name} is already running")
        return run

    def _run(self, job: JobSettings, occurrence: str) -> dict[str, Any] | None:
        jobcount = store.claim(self.db, job.name, occurrence, job.function, job.destination,
                               self.clock.now(), self.process)
        if jobcount is None:
            return None
        status, messages = store.FINISHED, []
        try:
            connection = self.connect(job.destination)
            try:
                result = connection.call(job.function, **job.parameters)
            finally:
                connection.close()
            messages = _log(result)
        except Exception as exc:  # the run is cancelled; SM37 shows why
            log.exception("job %s (%s) cancelled", job.name, job.function)
            status = store.CANCELLED
            messages = [{"type": "A", "id": "", "number": "",
                         "message": f"{type(exc).__name__}: {exc}"[:220]}]
        store.finish(self.db, jobcount, status, self.clock.now(), messages)
        return next(run for run in store.runs(self.db, job.name, limit=20)
                    if run["jobcount"] == jobcount)

    def runs(self, name: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        return store.runs(self.db, name, limit)


def _log(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The RETURN rows of a function's answer (table or structure), short form."""
    rows = result.get("RETURN", [])
    rows = [rows] if isinstance(rows, dict) else rows
    return [{"type": row.get("TYPE", ""), "id": row.get("ID", ""),
             "number": row.get("NUMBER", ""), "message": row.get("MESSAGE", "")}
            for row in rows[:MAX_LOG_ROWS] if row.get("TYPE") or row.get("MESSAGE")]
