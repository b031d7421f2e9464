"""CO totals and actual postings again with the ERP stub on PostgreSQL (a fresh schema,
dropped afterwards): the totals' INSERT … ON CONFLICT DO UPDATE is dialect-specific, so the
SQLite tests are taken over by name and run here too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sapgw.clock import Clock
from sapgw.erp_stub import ErpSystem, create_system
from tests.conftest import fresh_schema, require_postgres
from tests.erp_stub import test_co_allocation, test_co_reposting, test_co_totals
from tests.erp_stub.test_co_allocation import order  # noqa: F401  (fixture)

pytestmark = pytest.mark.postgres


@pytest.fixture
def erp(clock: Clock) -> Iterator[ErpSystem]:
    system = create_system(require_postgres(), fresh_schema(), clock=clock)
    try:
        yield system
    finally:
        system.db.drop_schema()
        system.db.dispose()


test_fi_postings_add_up = test_co_totals.test_fi_postings_add_up_per_cost_element_and_period
test_internal_postings = (
    test_co_totals.test_internal_postings_go_to_coss_with_partner_origin_and_quantity)
test_allocation = test_co_allocation.test_hours_to_an_order_at_the_planned_price
test_allocation_rounding = test_co_allocation.test_each_item_is_rounded_half_up_on_its_own
test_reposting = test_co_reposting.test_expenses_move_from_the_cost_center_to_the_order
