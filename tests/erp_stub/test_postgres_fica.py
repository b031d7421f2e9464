"""FI-CA run again with the ERP stub on PostgreSQL (a fresh schema, dropped afterwards): the
SQLite tests taken over by name, this module's `erp` fixture (which `conn` uses too) putting
them on PostgreSQL — the namespaced billable item tables (/1FE/00SAP2IT …) included."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sapgw.clock import Clock
from sapgw.erp_stub import ErpSystem, create_system
from tests.conftest import fresh_schema, require_postgres
from tests.erp_stub import test_fica_contracts, test_fica_invoicing, test_fica_order_items

pytestmark = pytest.mark.postgres
vkont = test_fica_invoicing.vkont  # a contract with three billable items
parties = test_fica_contracts.parties


@pytest.fixture
def erp(clock: Clock) -> Iterator[ErpSystem]:
    system = create_system(require_postgres(), fresh_schema(), clock=clock)
    try:
        yield system
    finally:
        system.db.drop_schema()
        system.db.dispose()


test_contract_versions = (
    test_fica_contracts.test_a_change_keeps_the_earlier_version_and_names_what_changed)
test_invoicing_balanced = test_fica_invoicing.test_invoicing_posts_a_balanced_fica_document
test_two_runs_at_once = test_fica_invoicing.test_two_runs_at_once_never_bill_or_invoice_twice
test_mass_runs = test_fica_invoicing.test_mass_runs_bill_and_invoice_every_account_under_one_key
test_order_items = test_fica_order_items.test_each_item_gives_a_main_item_with_its_conditions
test_aggregation = (
    test_fica_order_items.test_consumption_is_aggregated_into_fulfilment_items_once)
test_event_8205 = test_fica_order_items.test_event_8205_changes_and_adds_rows_after_a_simulation
