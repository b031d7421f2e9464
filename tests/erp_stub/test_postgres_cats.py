"""CATS on PostgreSQL (a fresh schema, dropped afterwards): the insert and CAT7's
per-record LUWs and conditional mark, taken over by name from the SQLite tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sapgw.clock import Clock
from sapgw.erp_stub import ErpSystem, create_system
from tests.conftest import fresh_schema, require_postgres
from tests.erp_stub import test_cats_insert, test_cats_transfer
from tests.erp_stub.test_cats_transfer import order  # noqa: F401  (fixture)

pytestmark = pytest.mark.postgres


@pytest.fixture
def erp(clock: Clock) -> Iterator[ErpSystem]:
    system = create_system(require_postgres(), fresh_schema(), clock=clock)
    try:
        yield system
    finally:
        system.db.drop_schema()
        system.db.dispose()


test_insert = test_cats_insert.test_record_is_approved_at_once_with_the_sender_from_pa0001
test_transfer = test_cats_transfer.test_cat7_posts_the_allocation_and_marks_the_record
test_refused = test_cats_transfer.test_a_record_co_refuses_does_not_block_the_others
test_overlap = test_cats_transfer.test_an_overlapping_run_does_not_post_twice
