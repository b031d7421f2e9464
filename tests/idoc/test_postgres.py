"""A representative part of the IDoc tests, run again with the gateway and its ERP stub on
PostgreSQL (fresh schemas, dropped afterwards): inbound over HTTP to 53 and 51, a customer
from DEBMAS posted to by ACC_DOCUMENT, outbound with a port failure then the retry job and
BD87, BD10 sending a document to a partner once, tRFC inbound exactly once, qRFC inbound,
and what differs on PostgreSQL: over-long header values, the row locks of the claims.

The tests are the SQLite ones, taken over by name: this module's `sapgw` fixture (which the
`web` client uses too) puts them on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sapgw.clock import Clock
from sapgw.gateway.runtime import Gateway
from tests.conftest import postgres_gateway
from tests.idoc import test_inbound, test_master_data_inbound, test_outbound, test_rfc_inbound

pytestmark = pytest.mark.postgres


@pytest.fixture
def sapgw(sapgw_clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gateway]:
    with postgres_gateway(sapgw_clock, monkeypatch) as gw:
        yield gw


def test_the_gateway_and_erp_are_on_postgresql(sapgw: Gateway) -> None:
    assert not sapgw.db.is_sqlite
    assert not sapgw.destinations.local_system("ERP").db.is_sqlite


test_inbound_http_posts_and_ends_53 = test_inbound.test_balanced_document_is_posted_and_ends_53
test_inbound_http_error_ends_51 = (
    test_inbound.test_unbalanced_document_ends_51_with_the_bapi_messages)
test_inbound_bd87_reprocess = test_inbound.test_reprocess_after_fixing_the_partner_profile
test_debmas_then_acc_document = (
    test_master_data_inbound.test_acc_document_to_a_customer_created_by_debmas_posts)
test_outbound_once_and_12 = test_outbound.test_document_goes_to_the_xml_http_port_once_and_ends_12
test_outbound_port_failure_then_retry = (
    test_outbound.test_http_500_gives_02_and_the_retry_job_sends_it_again)
test_outbound_back_off_then_bd87 = test_outbound.test_back_off_ends_and_bd87_resends
test_trfc_inbound_exactly_once = test_rfc_inbound.test_a_trfc_unit_stores_its_idocs_once
test_qrfc_inbound_through_smq2 = test_rfc_inbound.test_a_qrfc_unit_waits_in_the_inbound_queue
test_over_long_control_field_ends_56 = (
    test_inbound.test_an_over_long_control_field_is_stored_with_56)
test_inbound_claim_is_a_row_lock = (
    test_inbound.test_a_reprocess_waits_for_another_claim_and_is_then_refused)
test_outbound_claim_locks_before_reading = (
    test_outbound.test_a_sender_waits_for_another_and_does_not_send_again)
test_bad_list_and_profile_input = test_inbound.test_bad_list_and_profile_input_is_a_400
