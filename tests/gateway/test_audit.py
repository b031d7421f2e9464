"""The audit log: every action with who, when, what, and the state before and after."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect

from sapgw.clock import Clock
from sapgw.gateway.actions import ActionRefused
from sapgw.gateway.audit import AuditedActions
from sapgw.gateway.runtime import Gateway
from tests.scenarios.conftest import fund_usage, trade_promotion

QUEUE = "R3AUFMFU1791"


@pytest.fixture
def sapgw_clock() -> Clock:
    return Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))


@pytest.fixture
def audited(sapgw: Gateway) -> AuditedActions:
    return AuditedActions(sapgw)


def failed_fund_usage(gw: Gateway) -> str:
    fu = gw.send("CRM_FM_FU", fund_usage(tpm_id="TPM9")["data"])["bdoc_id"]
    gw.run_until_idle()
    return fu


def test_the_table_lives_in_the_gateway_database(sapgw: Gateway, audited: AuditedActions):
    assert "audit_log" in inspect(sapgw.db.engine).get_table_names()
    assert audited.entries() == []


def test_queue_actions_record_status_before_and_after(sapgw: Gateway, audited: AuditedActions,
                                                      sapgw_clock: Clock):
    failed_fund_usage(sapgw)
    audited.queue("alice", "lock", QUEUE, "out")
    audited.queue("alice", "unlock", QUEUE, "out")
    sapgw_clock.set(datetime(2026, 11, 22, 12, 5, tzinfo=UTC))
    audited.queue("bob", "activate", QUEUE, "out")
    entries = audited.entries()
    assert [(e["user"], e["action"], e["before"]["status"], e["after"]["status"])
            for e in entries] == [("bob", "activate", "SYSFAIL", "READY"),
                                  ("alice", "unlock", "STOP", "SYSFAIL"),
                                  ("alice", "lock", "SYSFAIL", "STOP")]
    newest = entries[0]
    assert newest["at"] == "2026-11-22T12:05:00Z"
    assert newest["object_type"] == "QUEUE" and newest["object_id"] == f"{QUEUE} (out)"
    assert "project TPM9 missing" in newest["before"]["error"] and newest["outcome"] == ""
    assert newest["after"]["entries"] == 1


def test_bdoc_actions_record_state_and_receivers(sapgw: Gateway, audited: AuditedActions):
    fu = failed_fund_usage(sapgw)
    sapgw.send("CRM_MKTPL", trade_promotion("TPM9")["data"])
    sapgw.run_until_idle()
    note = audited.bdoc("alice", "reprocess", fu)
    assert QUEUE in note
    sapgw.run_until_idle()
    assert sapgw.bdoc(fu)["state"] == "F04"
    (entry,) = audited.entries()
    assert entry["object_type"] == "BDOC" and entry["object_id"] == fu
    assert entry["before"]["state"] == "E06" and entry["before"]["receivers"] == {"ERP": "ERROR"}
    assert entry["after"]["state"] == "E06", "the queue runs after the action, not in it"


@pytest.mark.parametrize(("action", "final"), [("discard", "F01"), ("set-processed", "F03")])
def test_ending_a_bdoc_records_the_final_state(sapgw: Gateway, audited: AuditedActions,
                                               action: str, final: str):
    fu = failed_fund_usage(sapgw)
    audited.bdoc("bob", action, fu)
    (entry,) = audited.entries()
    assert (entry["before"]["state"], entry["after"]["state"]) == ("E06", final)
    assert entry["after"]["receivers"] == {"ERP": "DISCARDED"}
    assert "(by bob)" in sapgw.bdoc(fu)["log"][-1]["message"]


def test_deleting_an_luw_records_what_was_deleted(sapgw: Gateway, audited: AuditedActions):
    fu = failed_fund_usage(sapgw)
    (luw,) = sapgw.queue(QUEUE)["luws"]
    audited.delete_luw("alice", QUEUE, "out", luw["tid"])
    (entry,) = audited.entries()
    assert entry["action"] == "delete-luw" and entry["object_type"] == "LUW"
    assert entry["object_id"] == f"{QUEUE} (out) {luw['tid']}"
    assert entry["before"] == {"seq": luw["seq"], "bdoc_id": fu,
                               "functions": ["CRM_FM_ACCOUNTING_R3_IN"]}
    assert entry["after"] is None


def test_a_refused_action_is_recorded_with_the_reason(sapgw: Gateway, audited: AuditedActions):
    tp = sapgw.send("CRM_MKTPL", trade_promotion()["data"])["bdoc_id"]
    sapgw.run_until_idle()
    with pytest.raises(ActionRefused):
        audited.bdoc("alice", "discard", tp)
    with pytest.raises(LookupError):
        audited.queue("alice", "activate", "NOSUCHQUEUE", "in")
    refused_queue, refused_bdoc = audited.entries()
    assert refused_bdoc["before"] == refused_bdoc["after"]
    assert refused_bdoc["before"]["state"] == "F04"
    assert refused_bdoc["outcome"].startswith("refused: ") and "cannot be" in \
        refused_bdoc["outcome"]
    assert refused_queue["before"] is None and "does not exist" in refused_queue["outcome"]
    assert sapgw.bdoc(tp)["state"] == "F04"


def test_unknown_actions_are_not_actions(audited: AuditedActions):
    with pytest.raises(LookupError, match="unknown action"):
        audited.bdoc("alice", "explode", "X")
    with pytest.raises(LookupError, match="unknown action"):
        audited.queue("alice", "explode", QUEUE, "out")
    assert audited.entries() == []


def test_entries_are_limited_newest_first(sapgw: Gateway, audited: AuditedActions):
    for n in range(5):
        audited.queue("alice", "lock", f"Q{n}", "out")
    assert [e["object_id"] for e in audited.entries(limit=2)] == ["Q4 (out)", "Q3 (out)"]
