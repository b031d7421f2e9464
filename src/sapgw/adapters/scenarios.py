"""Which CRM scenarios this gateway has: the one list; the gateway is assembled from it.

Adding a scenario is a module beside its mapping module that declares `SCENARIO`
(see docs/ARCHITECTURE.md, "Adding a CRM scenario") and one line here.
"""

from __future__ import annotations

from sapgw.adapters import buag, bupa, funds, marketing, provcontract, service, vehicle
from sapgw.adapters.scenario import CrmScenario

SCENARIOS: tuple[CrmScenario, ...] = (
    marketing.SCENARIO,
    funds.SCENARIO,
    bupa.SCENARIO,
    buag.SCENARIO,
    provcontract.SCENARIO,
    service.SCENARIO,
    vehicle.SCENARIO,
)
