"""Many sign-ins of one account at once (an office's staff sharing a training account, a load test):
every one is answered, none is a server error. Before this test, a success's forgiving of the counts
(throttle.forgive) took the rows in another order than the next attempt's count (throttle.attempt),
and PostgreSQL broke the deadlock by failing one of them: a 500 on the login page (found by
bench/bench_serve.py, issue 30)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import RequestFactory, override_settings

from paritrana.accounts import services
from paritrana.accounts.throttle import Locked
from tests.conftest import FLUSHABLE_APPS

pytestmark = pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)


@override_settings(PARITRANA_LOGIN_MAX_FAILURES_PER_CLIENT=10_000, PARITRANA_LOGIN_MAX_FAILURES=10_000)
def test_many_sign_ins_of_one_account_at_once_are_all_answered() -> None:
    get_user_model().objects.create_user(username="pelatihan", password="pw-pelatihan-123")
    request = RequestFactory().post("/masuk/", REMOTE_ADDR="10.9.8.7")
    outcomes: list[Any] = []

    def sign_in() -> None:
        try:
            for _ in range(6):
                try:
                    user = services.login_attempt(username="pelatihan", password="pw-pelatihan-123", request=request)
                    outcomes.append("ok" if user is not None else "refused")
                except Locked:
                    outcomes.append("locked")
        except Exception as exc:  # the failure this test is about; reported below
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_in) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert not errors, errors[:3]
    assert outcomes.count("ok") == 24 * 6
