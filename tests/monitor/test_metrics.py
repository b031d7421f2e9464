"""`/metrics`: stored figures read at scrape time, LUW timings fed through `observe_luw`."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from sapgw.clock import Clock
from sapgw.gateway.api.app import create_app
from sapgw.gateway.monitor import metrics
from sapgw.gateway.runtime import Gateway
from tests.scenarios.conftest import fund_usage, trade_promotion


@pytest.fixture
def sapgw_clock() -> Clock:
    return Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))


@pytest.fixture
def web(sapgw: Gateway) -> Iterator[TestClient]:
    app = create_app(sapgw, run_schedulers=False)
    app.router.routes.append(metrics.metrics_route())
    with TestClient(app) as client:
        yield client


def scrape(web: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = web.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text)
            for s in family.samples}


def send(gw: Gateway, payload: dict[str, Any]) -> None:
    gw.send(payload["type"], payload["data"], payload["sender"])


def test_bdocs_by_state_and_queue_depth_and_age(sapgw: Gateway, sapgw_clock: Clock,
                                                web: TestClient):
    send(sapgw, trade_promotion())
    send(sapgw, fund_usage(tpm_id="TPM9"))  # no such project: the queue stops in SYSFAIL
    sapgw.run_until_idle()
    sapgw_clock.advance(timedelta(minutes=3))

    samples = scrape(web)
    assert samples[("sapgw_bdocs", (("state", "F04"),))] == 1
    assert samples[("sapgw_bdocs", (("state", "E06"),))] == 1
    assert samples[("sapgw_bdocs", (("state", "I01"),))] == 0
    out_sysfail = (("direction", "out"), ("status", "SYSFAIL"))
    assert samples[("sapgw_queue_luws", out_sysfail)] == 1
    assert samples[("sapgw_queues", out_sysfail)] == 1
    assert samples[("sapgw_queue_oldest_luw_age_seconds", out_sysfail)] == 180
    assert samples[("sapgw_queue_luws", (("direction", "in"), ("status", "READY")))] == 0


def test_luw_histogram_and_errors(web: TestClient):
    before = scrape(web)
    metrics.observe_luw(0.03, "executed")
    metrics.observe_luw(0.2, "sysfail")
    metrics.observe_luw(1.5, "cpicerr")
    after = scrape(web)

    def delta(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after[key] - before.get(key, 0.0)

    assert delta("sapgw_luw_execution_seconds_count", outcome="executed") == 1
    assert delta("sapgw_luw_execution_seconds_bucket", outcome="executed", le="0.05") == 1
    assert delta("sapgw_luw_execution_seconds_bucket", outcome="executed", le="0.025") == 0
    assert delta("sapgw_luw_execution_seconds_sum", outcome="cpicerr") == pytest.approx(1.5)
    assert delta("sapgw_luw_errors_total", outcome="sysfail") == 1
    assert delta("sapgw_luw_errors_total", outcome="cpicerr") == 1
    assert ("sapgw_luw_errors_total", (("outcome", "executed"),)) not in after


def test_observe_luw_refuses_unknown_outcomes():
    with pytest.raises(ValueError, match="outcome must be one of"):
        metrics.observe_luw(0.1, "ok")
    with pytest.raises(ValueError, match="negative"):
        metrics.observe_luw(-1, "executed")
