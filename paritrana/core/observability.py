"""Request ids, JSON logs and Prometheus metrics (issue 30).

- Every request carries an id: the proxy's ``X-Request-ID`` when it sends a sane one, else a new one.
  It is answered in the ``X-Request-ID`` header and added to every log record written while the
  request is served, so that one request's lines can be found together.
- ``JsonFormatter`` writes one JSON object a line (time, level, logger, message, request id, and any
  ``extra`` fields); ``PARITRANA_LOG_FORMAT=json`` selects it (``paritrana serve`` does).
- ``/metrics`` (Prometheus' text format, by prometheus-client): request latency by view and status
  class, counted in every web process (multiprocess mode under ``paritrana serve``); and, read from
  the database at each scrape so that every process answers alike: jobs waiting and running per
  queue, failed jobs per task, batch-ledger runs, rows and seconds per job and status, e-mails in the
  outbox per status and the age of the oldest one waiting. Counts only:
  nothing about any person. Answered to loopback clients, or with ``Authorization: Bearer`` and the
  ``PARITRANA_METRICS_TOKEN``.
"""

from __future__ import annotations

import contextvars
import hmac
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

REQUEST_SECONDS = Histogram(
    "paritrana_request_seconds",
    "Waktu menjawab permintaan, per view dan kelas status",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30),
)


class RequestIdMiddleware:
    """First in the chain: the id is known to every later middleware's and view's log lines."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            REQUEST_ID.reset(token)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match is not None and match.view_name else "unmatched"
        REQUEST_SECONDS.labels(view, request.method or "", f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


# The attributes every LogRecord has: anything else was given as ``extra`` and is written too.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if getattr(record, "request_id", ""):
            entry["request_id"] = record.request_id  # type: ignore[attr-defined]
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class DatabaseCollector(Collector):
    """What the database knows, read at each scrape: the same from every process."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        queue = GaugeMetricFamily(
            "paritrana_jobs", "Pekerjaan antrean per antrean dan status", labels=["queue", "status"]
        )
        failed = GaugeMetricFamily("paritrana_jobs_failed", "Pekerjaan gagal per tugas", labels=["task"])
        runs = GaugeMetricFamily(
            "paritrana_batch_runs", "Baris buku besar batch per pekerjaan dan status", labels=["job", "status"]
        )
        rows = GaugeMetricFamily("paritrana_batch_rows", "Baris yang ditulis batch per pekerjaan", labels=["job"])
        seconds = GaugeMetricFamily(
            "paritrana_batch_seconds", "Lama batch terakhir yang selesai per pekerjaan", labels=["job"]
        )
        outbox = GaugeMetricFamily("paritrana_mail_outbox", "Surel di kotak keluar per status", labels=["status"])
        oldest = GaugeMetricFamily(
            "paritrana_mail_oldest_waiting_seconds", "Umur surel tertua yang belum terkirim (detik)"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT queue_name, status::text, count(*) FROM procrastinate_jobs"
                " WHERE status IN ('todo', 'doing') GROUP BY 1, 2"
            )
            for name, status, count in cursor.fetchall():
                queue.add_metric([name, status], count)
            cursor.execute("SELECT task_name, count(*) FROM procrastinate_jobs WHERE status = 'failed' GROUP BY 1")
            for task, count in cursor.fetchall():
                failed.add_metric([task], count)
            cursor.execute("SELECT job, status, count(*), coalesce(sum(rows), 0) FROM core_batchrun GROUP BY 1, 2")
            written: dict[str, int] = {}
            for job, status, count, total in cursor.fetchall():
                runs.add_metric([job, status], count)
                written[job] = written.get(job, 0) + int(total)
            for job, total in written.items():
                rows.add_metric([job], total)
            cursor.execute(
                "SELECT DISTINCT ON (job) job, seconds FROM core_batchrun WHERE status = 'done' AND seconds IS NOT NULL"
                " ORDER BY job, finished_at DESC NULLS LAST"
            )
            for job, value in cursor.fetchall():
                seconds.add_metric([job], float(value))
            # The e-mail outbox (paritrana/notifications): a growing "waiting" or an old oldest waiting
            # row means the mail server has been unreachable for that long.
            cursor.execute(
                "SELECT status, count(*), extract(epoch FROM now() - min(created_at))"
                " FROM notifications_outbox GROUP BY status"
            )
            for status, count, age in cursor.fetchall():
                outbox.add_metric([status], count)
                if status == "waiting":
                    oldest.add_metric([], float(age))
        yield from (queue, failed, runs, rows, seconds, outbox, oldest)


def _allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "PARITRANA_METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given, f"Bearer {token}"):
        return True
    return request.META.get("REMOTE_ADDR", "") in ("127.0.0.1", "::1")


def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse("Hanya untuk pemantau (loopback atau token).", status=403, content_type="text/plain")
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)  # every web process's requests
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(DatabaseCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
