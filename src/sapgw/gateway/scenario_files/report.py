"""The outcome for people (a pass/fail report) and for CI (JUnit XML).

    PASS  Seed 004 funds (examples/scenarios/scenario_funds.yaml), 12 checks, 0.8 s
      step 1 (send)      CRM_MKTPL 0A1F… (tpm) accepted (I01)
      step 5 (expect)    checked after the queues ran
        ok    BDoc tpm (CRM_MKTPL 0A1F…) state: F04
        FAIL  BKPF where XBLNR = 'FPO1': sum of WRBTR
                expected 250.00
                found    125.00

JUnit: one <testsuite> per scenario, one <testcase> per check (a <failure> with expected and
found), and one per step that could not be done (an <error>) or was not run (<skipped>).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from sapgw.gateway.scenario_files.results import Outcome


def text_report(outcome: Outcome, verbose: bool = True) -> str:
    verdict = "PASS" if outcome.passed else "FAIL"
    failed = len(outcome.failures)
    lines = [f"{verdict}  {outcome.name} ({outcome.source}), {len(outcome.checks)} checks"
             + (f", {failed} failed" if failed else "") + f", {outcome.seconds:.1f} s"]
    for step in outcome.steps:
        if verbose or not step.passed:
            lines.append(f"  {step.label:<22} {step.text}".rstrip())
        if step.error:
            lines.append(f"    ERROR {step.error}")
        for check in step.checks:
            if check.ok and verbose:
                lines.append(f"    ok    {check.what}: {check.expected}")
            elif not check.ok:
                lines += [f"    FAIL  {check.what}", f"            expected {check.expected}",
                          f"            found    {check.found}"]
    lines += [f"  {label:<22} not run" for label in outcome.not_run]
    return "\n".join(lines)


def junit_xml(outcomes: list[Outcome]) -> bytes:
    suites = ET.Element("testsuites", name="sapgw scenarios")
    for outcome in outcomes:
        suite = ET.SubElement(suites, "testsuite", name=outcome.name, file=outcome.source,
                              time=f"{outcome.seconds:.3f}")
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        classname = Path(outcome.source).stem
        for step in outcome.steps:
            for check in step.checks:
                case = ET.SubElement(suite, "testcase", classname=classname,
                                     name=f"{step.label}: {check.what}")
                counts["tests"] += 1
                if not check.ok:
                    counts["failures"] += 1
                    failure = ET.SubElement(case, "failure", message=(
                        f"expected {check.expected}, found {check.found}"))
                    failure.text = (f"{check.what}\nexpected {check.expected}\n"
                                    f"found    {check.found}")
            if step.error:
                case = ET.SubElement(suite, "testcase", classname=classname, name=step.label)
                counts["tests"] += 1
                counts["errors"] += 1
                ET.SubElement(case, "error", message=step.error).text = step.error
        for label in outcome.not_run:
            case = ET.SubElement(suite, "testcase", classname=classname, name=label)
            ET.SubElement(case, "skipped", message="not run: an earlier step failed")
            counts["tests"] += 1
            counts["skipped"] += 1
        if not counts["tests"]:  # a scenario without expectations still shows as run
            ET.SubElement(suite, "testcase", classname=classname, name="steps")
            counts["tests"] = 1
        for key, count in counts.items():
            suite.set(key, str(count))
    ET.indent(suites)
    return ET.tostring(suites, encoding="utf-8", xml_declaration=True) + b"\n"


def write_junit(path: str | Path, outcomes: list[Outcome]) -> None:
    Path(path).write_bytes(junit_xml(outcomes))
