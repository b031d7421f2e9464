"""BDoc message states (domain SMW3ISTATE) and the transitions the state machine allows."""

from __future__ import annotations

from enum import StrEnum


class BDocState(StrEnum):
    I01 = "I01"  # received
    I02 = "I02"  # written to qRFC queue
    I03 = "I03"  # after qRFC step
    O01 = "O01"  # sent to receivers, not all have confirmed
    F01 = "F01"  # rejected (discarded)
    F03 = "F03"  # set to processed (manual)
    F04 = "F04"  # confirmed by all receivers
    F05 = "F05"  # information only (no receivers)
    E01 = "E01"  # technical error
    E02 = "E02"  # partially sent, some receivers have errors
    E04 = "E04"  # validation error
    E06 = "E06"  # outbound processing failed
    E08 = "E08"  # mapping error

    @property
    def text(self) -> str:
        return TEXTS[self]

    @property
    def final(self) -> bool:
        return self.value.startswith("F")

    @property
    def error(self) -> bool:
        return self.value.startswith("E")

    @property
    def light(self) -> str:
        """SMW01 traffic light: green final, red error, yellow in process."""
        return "green" if self.final else "red" if self.error else "yellow"


TEXTS = {
    BDocState.I01: "Received",
    BDocState.I02: "Written to qRFC queue",
    BDocState.I03: "After qRFC step",
    BDocState.O01: "Sent to receivers, not all have confirmed",
    BDocState.F01: "Rejected (fully processed)",
    BDocState.F03: "Set to processed",
    BDocState.F04: "Confirmed by all receivers (fully processed)",
    BDocState.F05: "Information only (no processing)",
    BDocState.E01: "Technical error (incomplete)",
    BDocState.E02: "Partially sent, some receivers have errors",
    BDocState.E04: "BDoc validation error",
    BDocState.E06: "Outbound processing failed",
    BDocState.E08: "Mapping error",
}

# F04 from the flow: an inbound BDoc (MI0) saved in CRM with no other site to send it to.
_FLOW_OUTCOMES = {BDocState.I02, BDocState.E04, BDocState.E08, BDocState.F05, BDocState.E01,
                  BDocState.F04}
_SEND_OUTCOMES = {BDocState.O01, BDocState.F04, BDocState.E02, BDocState.E06, BDocState.E01}
_MANUAL_ENDS = {BDocState.F01, BDocState.F03}

# What may follow each state. Error states re-enter the flow (reprocess) or end manually.
TRANSITIONS: dict[BDocState, set[BDocState]] = {
    BDocState.I01: _FLOW_OUTCOMES | {BDocState.I01},
    BDocState.I02: _SEND_OUTCOMES | {BDocState.I02, BDocState.I03},
    BDocState.I03: _SEND_OUTCOMES,
    BDocState.O01: _SEND_OUTCOMES,
    BDocState.E01: _FLOW_OUTCOMES | _SEND_OUTCOMES | _MANUAL_ENDS | {BDocState.I01},
    BDocState.E02: _SEND_OUTCOMES | _MANUAL_ENDS,
    BDocState.E04: _FLOW_OUTCOMES | _MANUAL_ENDS | {BDocState.I01},
    BDocState.E06: _SEND_OUTCOMES | _MANUAL_ENDS,
    BDocState.E08: _FLOW_OUTCOMES | _MANUAL_ENDS | {BDocState.I01},
    BDocState.F01: set(),
    BDocState.F03: set(),
    BDocState.F04: set(),
    BDocState.F05: set(),
}


class IllegalTransition(Exception):
    def __init__(self, old: BDocState, new: BDocState) -> None:
        super().__init__(f"BDoc state {old} ({old.text}) cannot change to {new} ({new.text})")
        self.old = old
        self.new = new


def check_transition(old: BDocState, new: BDocState) -> None:
    if new not in TRANSITIONS[old]:
        raise IllegalTransition(old, new)
