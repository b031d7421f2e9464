"""What a settlement and its reversal answer for one order: the period-end run's outcome
(`co.api.RunOutcome`: the log, the LINES to show, the settlement document) with its log in
message class KD, and the one way both present what they would post."""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.settlement.documents import check_fi

MESSAGE_CLASS = "KD"


def log(ctx: CallContext, outcome: co.RunOutcome) -> co.RunLog:
    """The outcome's log in class KD: say("S", "001", ...)."""
    return co.RunLog(ctx, MESSAGE_CLASS, outcome)


def present(ctx: CallContext, outcome: co.RunOutcome, say: co.RunLog,
            fi_params: dict[str, Any] | None, lines: list[dict[str, Any]],
            order: dict[str, Any], test: bool) -> bool:
    """What a settlement or its reversal would post, once FI has checked its document: the
    lines in the outcome and the log (KD 003); False when FI refused or for a test run."""
    failed = check_fi(ctx, fi_params)
    if failed:
        outcome.messages += failed
        return False
    outcome.lines = lines
    for line in lines:
        say("S", "003", line["KONTY"], line["RECEIVER"], line["KSTAR"],
            f"{line['AMOUNT']:.2f}", order["WAERS"])
    if test:
        say("S", "006", order["AUFNR"])
        return False
    return True
