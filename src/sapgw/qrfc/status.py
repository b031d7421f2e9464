"""qRFC queue statuses (domain QRFCSTATE) as SMQ1/SMQ2 show them."""

from __future__ import annotations

from enum import StrEnum


class QueueStatus(StrEnum):
    READY = "READY"        # waiting for the scheduler
    RUNNING = "RUNNING"    # a worker holds the lease and executes the head LUW
    SYSFAIL = "SYSFAIL"    # application error in the head LUW: waits for a person
    CPICERR = "CPICERR"    # communication error: retried automatically with back-off
    STOP = "STOP"          # locked in SMQ1/SMQ2
    WAITING = "WAITING"    # waits for a queue it depends on
    ARETRY = "ARETRY"      # application asked for a retry later
    ANORETRY = "ANORETRY"  # application error, no automatic retry
    NOSEND = "NOSEND"      # kept for an application; the scheduler does not send it


TEXTS = {
    QueueStatus.READY: "Ready for processing",
    QueueStatus.RUNNING: "First LUW is being processed",
    QueueStatus.SYSFAIL: "Serious error in the first LUW; fix the cause and activate",
    QueueStatus.CPICERR: "Communication error; retried automatically",
    QueueStatus.STOP: "Locked",
    QueueStatus.WAITING: "Waiting for a queue it depends on",
    QueueStatus.ARETRY: "Application requested a retry",
    QueueStatus.ANORETRY: "Application error, no retry",
    QueueStatus.NOSEND: "Not sent by the scheduler",
}
