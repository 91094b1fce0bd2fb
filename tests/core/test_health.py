"""``/healthz`` and ``/readyz`` (issue 30): the process answers; the instance is ready when its
database answers, every migration is applied and the job queue is not stalled, each check with a
stable code."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from paritrana.core import health

pytestmark = pytest.mark.django_db


def _job(status: str, *, scheduled: str = "now()", worker: bool = False) -> None:
    with connection.cursor() as cursor:
        worker_id = None
        if worker:
            # A worker that stopped beating two minutes ago.
            cursor.execute(
                "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - interval '2 minutes') RETURNING id"
            )
            worker_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, args, status, scheduled_at, worker_id)"
            f" VALUES ('enrolment', 'paritrana.enrolment.tasks.enrol_apply', '{{}}', %s, {scheduled}, %s)",
            (status, worker_id),
        )


def _ready(client: Client) -> tuple[int, dict[str, Any]]:
    answer = client.get("/readyz")
    return answer.status_code, answer.json()


def test_healthz_answers_without_login_and_says_nothing_else(client: Client) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}
    assert "no-cache" in answer["Cache-Control"]
    assert client.post("/healthz").status_code == 405


def test_readyz_is_ready_with_the_database_migrated_and_an_idle_queue(client: Client) -> None:
    status, body = _ready(client)
    assert status == 200 and body["status"] == "ready"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True, "migrations": True, "jobs": True,
    }  # fmt: skip


def test_a_job_doing_on_a_silent_worker_makes_the_instance_unready(client: Client) -> None:
    _job("doing", worker=True)
    status, body = _ready(client)
    assert status == 503 and body["checks"]["jobs"]["code"] == "jobs_stalled"
    assert body["checks"]["jobs"]["stalled"] == 1


def test_a_job_waiting_past_its_time_with_no_worker_alive_says_so(client: Client) -> None:
    _job("todo", scheduled="now() - interval '10 minutes'")
    status, body = _ready(client)
    assert status == 503 and body["checks"]["jobs"] == {
        "ok": False, "code": "no_worker", "workers": 0, "stalled": 0, "overdue": 1,
    }  # fmt: skip
    # A job just queued is not overdue: the instance stays ready until the worker is late.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now()")
    assert _ready(client)[0] == 200


def test_a_pending_migration_makes_the_instance_unready(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    # The migration plan is what Django's own executor computes; here one is made to remain.
    monkeypatch.setattr(health, "_pending_migrations", lambda: ["registry.9999_belum"])
    status, body = _ready(client)
    assert status == 503 and body["checks"]["migrations"] == {
        "ok": False, "code": "migrations_pending", "pending": ["registry.9999_belum"],
    }  # fmt: skip
