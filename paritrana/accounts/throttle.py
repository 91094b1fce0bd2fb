"""Counting failed attempts and locking keys that fail too often, atomically.

An attempt is counted *before* it is evaluated, in the same transaction that checks the lock, with
the keys' rows locked: thirty guesses sent at once are counted one after another, and every one past
the limit is refused without its password being checked. A success clears the count afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from paritrana.core.errors import DomainError

from .models import Throttle


class Locked(DomainError):
    status = 429

    def __init__(self, minutes: int) -> None:
        super().__init__("login_locked", f"Terlalu banyak percobaan gagal. Coba lagi dalam {minutes} menit.")


@dataclass(frozen=True)
class Limit:
    key: str
    failures: int
    window: timedelta
    lock: timedelta


def _minutes_left(until: datetime, now: datetime) -> int:
    return int((until - now).total_seconds() // 60) + 1


def attempt(limits: list[Limit]) -> list[str]:
    """Count one attempt under every key, or raise ``Locked`` if any key is locked.

    Returns the keys this attempt locked (for the audit trail). Counts older than a key's window are
    forgotten first, so an honest typo a day ago does not add to today's."""
    now = timezone.now()
    newly_locked: list[str] = []
    with transaction.atomic():
        keys = sorted({limit.key for limit in limits})  # one order for every caller: no deadlock
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO accounts_throttle (key, failures) SELECT k, 0 FROM unnest(%s::text[]) k "
                "ON CONFLICT (key) DO NOTHING",
                [keys],
            )
        rows = {t.key: t for t in Throttle.objects.select_for_update().filter(key__in=keys).order_by("key")}
        for limit in limits:
            row = rows[limit.key]
            if row.locked_until and row.locked_until > now:
                raise Locked(_minutes_left(row.locked_until, now))
        for limit in limits:
            row = rows[limit.key]
            if row.last_failure_at is None or row.last_failure_at < now - limit.window:
                row.failures = 0
            row.failures += 1
            row.last_failure_at = now
            if row.failures >= limit.failures:
                row.locked_until = now + limit.lock
                row.failures = 0
                newly_locked.append(limit.key)
            row.save(update_fields=["failures", "last_failure_at", "locked_until"])
    return newly_locked


def forgive(*, reset: Sequence[str], undo: Sequence[str] = ()) -> None:
    """A success: the keys in ``reset`` start afresh; the keys in ``undo`` (shared with others, like
    a client address behind an office's NAT) lose only the count this attempt added."""
    from django.db.models import F
    from django.db.models.functions import Greatest

    with transaction.atomic():
        # The rows taken in key order first, as ``attempt`` takes them: two updates would take them in
        # their own order, and a success forgiving beside another attempt counting deadlocked (a 500
        # on the login page when many signed in to one account at once; bench/bench_serve.py).
        list(Throttle.objects.select_for_update().filter(key__in=[*reset, *undo]).order_by("key").values_list("pk"))
        Throttle.objects.filter(key__in=list(reset)).update(failures=0, locked_until=None)
        Throttle.objects.filter(key__in=list(undo)).update(failures=Greatest(F("failures") - 1, 0))
