"""The outbox of e-mail notifications (issue 30).

A notification is written here in the same transaction as the change it tells of (a claim decided,
an upload enrolled, a bill found overdue), so that a change that rolls back tells nothing and a
change that commits is told even if the mail server is down at that moment; ``services.mail_send``
sends the waiting rows. ``key`` names what the mail is about and to whom: the same fact is never
written twice, so never sent twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now


class Kind(models.TextChoices):
    BILL_OVERDUE = "bill_overdue", "Tagihan iuran lewat jatuh tempo"
    CLAIM_STATE = "claim_state", "Status klaim berubah"
    ENROLMENT_APPLIED = "enrolment_applied", "Pendaftaran massal selesai"


class Status(models.TextChoices):
    WAITING = "waiting", "Menunggu dikirim"
    SENT = "sent", "Terkirim"
    # The mail server refused the address itself (a 5xx answer for the recipient): retrying cannot help.
    REFUSED = "refused", "Ditolak server surat"


class Outbox(models.Model):
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    to_address = models.CharField("kepada", max_length=254)
    # What the message says, as data: it is written by set-based SQL too (contributions/batch/overdue.py)
    # and rendered with its template when sent.
    context = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING, db_default="waiting")
    attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    last_error = models.CharField(max_length=500, blank=True, default="", db_default="")
    created_at = models.DateTimeField(db_default=Now())
    send_after = models.DateTimeField(db_default=Now())
    sent_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField("perihal", max_length=200, blank=True, default="", db_default="")

    class Meta:
        verbose_name = "surel keluar"
        verbose_name_plural = "surel keluar"
        indexes = [
            models.Index(fields=["send_after", "id"], condition=models.Q(status="waiting"), name="outbox_waiting")
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_address} ({self.status})"
