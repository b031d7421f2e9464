"""What a run found: a line per step, a check per expectation, and the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Check:
    """One expectation: what was looked at, what the file expected and what was found."""

    what: str
    expected: str
    found: str
    ok: bool


@dataclass
class StepResult:
    label: str
    text: str = ""              # what the step did, e.g. "BDoc 0A1F… (tpm): I01"
    error: str | None = None    # the step could not be done: the run stops here
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.error is None and all(check.ok for check in self.checks)


@dataclass
class Outcome:
    name: str
    source: str
    steps: list[StepResult] = field(default_factory=list)
    not_run: list[str] = field(default_factory=list)  # steps after one that failed to run
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(step.passed for step in self.steps) and not self.not_run

    @property
    def checks(self) -> list[tuple[str, Check]]:
        return [(step.label, check) for step in self.steps for check in step.checks]

    @property
    def failures(self) -> list[tuple[str, Check]]:
        return [(label, check) for label, check in self.checks if not check.ok]
