"""Writing notifications to the outbox, and sending them (issue 30).

- ``notify`` writes one row per recipient in the caller's transaction (models.py says why), keyed so
  that the same fact is written once: ``claim_state:<claim>:<state>:<user>`` and the like.
- ``mail_send`` sends the rows that are due, each in a transaction of its own holding the row's lock
  (``FOR UPDATE SKIP LOCKED``: two senders at once never take the same row), through Django's mail
  framework. A row is marked sent in the transaction that sent it. A sender killed between the mail
  server's "250 OK" and its commit leaves the row waiting, and it is sent again: at least once,
  never lost; the copy carries the same ``Message-ID`` (``<outbox-ID@host>``), so mail programs show
  one. When the server cannot be reached the row waits, retried later and later (1, 2, 4 … minutes,
  at most an hour), and the batch stops there instead of trying every row against a dead server.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from paritrana.core.batch import durable_commit

from .models import Kind, Outbox, Status
from .selectors import Recipient

BACKOFF_CAP = timedelta(hours=1)


def notify(*, kind: str, fact: str, recipients: Iterable[Recipient], context: dict[str, Any]) -> int:
    """One outbox row per recipient with an address, in the caller's transaction. ``fact`` names what
    is told (``claim:12:approved``); a fact already told to a user is not written again. Returns the
    rows written."""
    if not getattr(settings, "PARITRANA_MAIL_ENABLED", True):
        return 0
    rows = [
        Outbox(key=f"{kind}:{fact}:{r.user_id}", kind=kind, user_id=r.user_id, to_address=r.address, context=context)
        for r in recipients
        if r.address
    ]
    if not rows:
        return 0
    return len(Outbox.objects.bulk_create(rows, ignore_conflicts=True))


def _render(row: Outbox) -> tuple[str, str]:
    context = {**row.context, "public_url": settings.PARITRANA_PUBLIC_URL}
    subject = " ".join(render_to_string(f"notifications/{row.kind}_subject.txt", context).split())
    return subject[:200], render_to_string(f"notifications/{row.kind}.txt", context)


def _message_id(row: Outbox) -> str:
    host = urlparse(settings.PARITRANA_PUBLIC_URL).hostname or "localhost"
    return f"<outbox-{row.pk}@{host}>"


def _refused_for_good(exc: Exception) -> bool:
    """The server answered 5xx for this message's recipient or content: sending again changes nothing."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, (smtplib.SMTPDataError, smtplib.SMTPSenderRefused)) and exc.smtp_code >= 500


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def mail_send(*, limit: int = 500) -> dict[str, int]:
    """Send up to ``limit`` due rows. Returns ``{"sent", "refused", "failed", "waiting"}``: ``failed``
    counts rows that will be tried again, ``waiting`` the rows still waiting after this run."""
    sent = refused = failed = 0
    connection = get_connection(fail_silently=False)
    try:
        for _ in range(limit):
            with transaction.atomic():
                row = (
                    Outbox.objects.select_for_update(skip_locked=True)
                    .filter(status=Status.WAITING, send_after__lte=timezone.now())
                    .order_by("send_after", "id")
                    .first()
                )
                if row is None:
                    break
                subject, body = _render(row)
                message = EmailMessage(
                    subject, body, settings.DEFAULT_FROM_EMAIL, [row.to_address],
                    headers={"Message-ID": _message_id(row), "Auto-Submitted": "auto-generated"},
                    connection=connection,
                )  # fmt: skip
                row.attempts += 1
                row.subject = subject
                try:
                    message.send()
                except (OSError, smtplib.SMTPException) as exc:
                    row.last_error = f"{type(exc).__name__}: {exc}"[:500]
                    if isinstance(exc, smtplib.SMTPException) and _refused_for_good(exc):
                        row.status = Status.REFUSED
                        refused += 1
                    else:
                        row.send_after = timezone.now() + _backoff(row.attempts)
                        failed += 1
                    row.save(update_fields=["attempts", "subject", "last_error", "status", "send_after"])
                    if row.status == Status.WAITING:
                        break  # the server is unreachable or busy: the other rows wait for the next run
                    continue
                row.status, row.sent_at, row.last_error = Status.SENT, timezone.now(), ""
                row.save(update_fields=["attempts", "subject", "last_error", "status", "sent_at"])
                # The mail has left: its "sent" must survive a power cut, or it would go out twice
                # (the embedded server commits asynchronously otherwise; core/batch.durable_commit).
                durable_commit()
                sent += 1
    finally:
        connection.close()
    waiting = Outbox.objects.filter(status=Status.WAITING).count()
    return {"sent": sent, "refused": refused, "failed": failed, "waiting": waiting}


__all__ = ["Kind", "mail_send", "notify"]
