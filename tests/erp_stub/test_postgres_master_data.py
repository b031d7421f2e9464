"""Customer/vendor master and FI postings to it, run again with the ERP stub on PostgreSQL (a
fresh schema, dropped afterwards). The tests are the SQLite ones, taken over by name: this
module's `erp` fixture (which `conn` uses too) puts them on PostgreSQL. The concurrent
creation is the one that differs: its insert must notice the other LUW's row there too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sapgw.clock import Clock
from sapgw.erp_stub import ErpSystem, create_system
from tests.conftest import fresh_schema, require_postgres
from tests.erp_stub import test_fi_master_data, test_master_data

pytestmark = pytest.mark.postgres


@pytest.fixture
def erp(clock: Clock) -> Iterator[ErpSystem]:
    system = create_system(require_postgres(), fresh_schema(), clock=clock)
    try:
        yield system
    finally:
        system.db.drop_schema()
        system.db.dispose()


test_customer_is_created = (
    test_master_data.test_customer_is_created_at_commit_with_an_internal_number)
test_msgfn_003 = test_master_data.test_msgfn_003_sets_the_deletion_flag_of_its_level
test_vendor = test_master_data.test_vendor_with_company_code_and_purchasing_organization
test_same_new_customer_from_two_sessions = (
    test_master_data.test_the_same_new_customer_from_two_sessions)
test_fi_customer_from_debmas = (
    test_fi_master_data.test_customer_from_debmas_is_posted_to_its_knb1_reconciliation_account)
test_fi_vendor_flagged_or_blocked = (
    test_fi_master_data.test_vendor_flagged_for_deletion_or_blocked_is_refused)
test_fi_customer_flagged = test_fi_master_data.test_customer_flagged_for_deletion_is_refused
