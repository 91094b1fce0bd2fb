"""Request ids, JSON logs and /metrics (issue 30, core/observability.py)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from paritrana.core.batch import batch_run
from paritrana.core.observability import REQUEST_ID, JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_every_answer_carries_a_request_id_and_a_sane_one_given_is_kept(client: Client) -> None:
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]
    assert client.get("/healthz", HTTP_X_REQUEST_ID="proxy-1234abcd")["X-Request-ID"] == "proxy-1234abcd"
    # Not a log injection: a header with spaces, newlines or 500 characters is replaced.
    for bad in ("a b c d e f g h", "x" * 500, "abc\\nlevel=ERROR"):
        assert client.get("/healthz", HTTP_X_REQUEST_ID=bad)["X-Request-ID"] != bad


def test_a_log_line_is_one_json_object_with_the_request_id_and_the_extra_fields() -> None:
    record = logging.LogRecord("paritrana.enrolment", logging.INFO, __file__, 1, "unggahan %s diterapkan", (7,), None)
    record.upload = 7
    token = REQUEST_ID.set("req-00000001")
    try:
        RequestIdFilter().filter(record)
    finally:
        REQUEST_ID.reset(token)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "unggahan 7 diterapkan" and entry["level"] == "INFO"
    assert entry["request_id"] == "req-00000001" and entry["upload"] == 7 and entry["logger"] == "paritrana.enrolment"


def _metrics(client: Client, **headers: Any) -> tuple[int, str]:
    answer = client.get("/metrics", **headers)
    return answer.status_code, answer.content.decode()


def test_metrics_count_requests_by_view_and_read_the_queue_and_the_ledger(client: Client) -> None:
    client.get("/healthz")
    with batch_run("uji_metrik", {}) as run:
        run.rows = 42
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, args, status)"
            " VALUES ('enrolment', 'paritrana.enrolment.tasks.enrol_apply', '{}', 'todo'),"
            " ('linkage', 'paritrana.linkage.tasks.link_run', '{}', 'failed')"
        )
        cursor.execute(
            "INSERT INTO notifications_outbox (key, kind, to_address, context, created_at)"
            " VALUES ('a', 'claim_state', 'a@uji.test', '{}', now() - interval '90 minutes'),"
            " ('b', 'claim_state', 'b@uji.test', '{}', now())"
        )
    status, text = _metrics(client)
    assert status == 200
    assert 'paritrana_request_seconds_count{method="GET",status="2xx",view="healthz"}' in text
    assert 'paritrana_jobs{queue="enrolment",status="todo"} 1.0' in text
    assert 'paritrana_jobs_failed{task="paritrana.linkage.tasks.link_run"} 1.0' in text
    assert 'paritrana_batch_runs{job="uji_metrik",status="done"} 1.0' in text
    assert 'paritrana_batch_rows{job="uji_metrik"} 42.0' in text
    assert 'paritrana_mail_outbox{status="waiting"} 2.0' in text
    oldest = float(text.split("\nparitrana_mail_oldest_waiting_seconds ")[1].split()[0])
    assert 90 * 60 <= oldest < 95 * 60


def test_metrics_answer_only_loopback_or_the_scrapers_token(client: Client, settings: Any) -> None:
    settings.PARITRANA_METRICS_TOKEN = "rahasia-pemantau-123"
    assert _metrics(client, REMOTE_ADDR="10.1.2.3")[0] == 403
    assert _metrics(client, REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer salah")[0] == 403
    assert _metrics(client, REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer rahasia-pemantau-123")[0] == 200
