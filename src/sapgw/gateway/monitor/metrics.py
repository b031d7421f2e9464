"""`/metrics` for Prometheus: BDocs by state, queue depth and age, LUW execution times.

Two kinds of figures, kept apart on purpose:
- what is stored (BDocs per state, LUWs per queue direction and status, the oldest LUW's
  age) is read from the gateway database at scrape time, so it is right in every process and
  after a restart;
- what happened (how long LUWs took, how many failed) is counted in the process that ran
  them, fed by `observe_luw(seconds, outcome)`, which the queue worker calls once per LUW.
These live in this module's own `LUW_REGISTRY`, not prometheus-client's global one, so
importing sapgw never adds metrics to an application that embeds it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sapgw.bdoc.states import BDocState
from sapgw.gateway.monitor import summary
from sapgw.gateway.queues.status import QueueStatus

if TYPE_CHECKING:
    from sapgw.gateway.runtime import Gateway

OUTCOMES = ("executed", "sysfail", "cpicerr")  # LUW done / application error / no connection

LUW_REGISTRY = CollectorRegistry()
LUW_SECONDS = Histogram(
    "sapgw_luw_execution_seconds", "Time to execute one qRFC LUW at its destination",
    ["outcome"], registry=LUW_REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0))
LUW_ERRORS = Counter(
    "sapgw_luw_errors", "LUWs that failed: sysfail (application error, the queue waits for a "
    "person) or cpicerr (communication error, retried)", ["outcome"], registry=LUW_REGISTRY)


def observe_luw(seconds: float, outcome: str) -> None:
    """Record one LUW execution; `outcome` is one of OUTCOMES."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}")
    if seconds < 0:
        raise ValueError(f"seconds must not be negative, not {seconds}")
    LUW_SECONDS.labels(outcome=outcome).observe(seconds)
    if outcome != "executed":
        LUW_ERRORS.labels(outcome=outcome).inc()


class GatewayCollector:
    """The stored figures of one gateway, read when Prometheus scrapes."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway

    def collect(self) -> Iterator[Metric]:
        db, now = self.gateway.db, self.gateway.clock.now()
        bdocs = GaugeMetricFamily("sapgw_bdocs", "BDocs stored, by state (SMW01)",
                                  labels=["state"])
        counts = {s.value: 0 for s in BDocState}
        for row in summary.bdoc_counts(db):
            counts[row["state"]] += row["count"]
        for state, n in counts.items():
            bdocs.add_metric([state], n)
        yield bdocs

        depth = GaugeMetricFamily("sapgw_queue_luws", "LUWs waiting in qRFC queues, by "
                                  "direction (out SMQ1, in SMQ2) and queue status",
                                  labels=["direction", "status"])
        queues = GaugeMetricFamily("sapgw_queues", "qRFC queues holding LUWs, by direction "
                                   "and status", labels=["direction", "status"])
        age = GaugeMetricFamily("sapgw_queue_oldest_luw_age_seconds", "Age of the oldest LUW "
                                "waiting, by direction and queue status",
                                labels=["direction", "status"])
        stats = {(s["direction"], s["status"]): s for s in summary.queue_stats(db, now)}
        for direction in ("out", "in"):
            for status in QueueStatus:
                s = stats.get((direction, status.value))
                labels = [direction, status.value]
                depth.add_metric(labels, s["luws"] if s else 0)
                queues.add_metric(labels, s["queues"] if s else 0)
                age.add_metric(labels, s["oldest_age"] if s else 0.0)
        yield from (depth, queues, age)
        yield from LUW_REGISTRY.collect()


def exposition(gateway: Gateway) -> bytes:
    """The Prometheus text format of everything above."""
    return generate_latest(GatewayCollector(gateway))  # type: ignore[arg-type]


def metrics_endpoint(request: Request) -> Response:
    """Synchronous on purpose: Starlette runs it in its thread pool, off the event loop."""
    gateway: Gateway = request.app.state.gateway
    return Response(exposition(gateway), media_type=CONTENT_TYPE_LATEST)


def metrics_route() -> Route:
    """`GET /metrics`, for `app.router.routes.append(...)` next to the other plain routes."""
    return Route("/metrics", metrics_endpoint, methods=["GET"], name="metrics")
