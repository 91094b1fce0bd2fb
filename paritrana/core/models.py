"""Cross-cutting tables: the audit trail and the ledger of batch runs."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One write, or one view of a full personal record by staff (DESIGN.md §3.4, §3.7).

    Written in the same transaction as the change it records, so a rolled-back change leaves no
    audit row and a committed one always has its row. Append-only: a trigger (core migration 0002)
    refuses UPDATE and DELETE, and a user who has acted is deactivated, never deleted.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True)
    entity = models.CharField(max_length=64)
    entity_id = models.CharField(max_length=64, blank=True, default="")
    channel = models.CharField(max_length=16, default="system")  # page, api, cli, system
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["entity", "entity_id"])]
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.entity}:{self.entity_id}"


class AuditSubject(models.Model):
    """A person whose data an audited read showed: one row per person, so that "who read this
    person's data" is one indexed lookup even for a read of many (an export, a payment file, a bill's
    lines). ``person_id`` has no foreign key: core knows nothing of the registry, and the trail
    outlives any correction of it. Append-only like its event."""

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="subjects")
    person_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["person_id", "event"])]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.person_id}"


class BatchRun(models.Model):
    """Ledger row for a set-based job: what ran, with what, how long, how many rows (DESIGN.md §3.3)."""

    class Status(models.TextChoices):
        RUNNING = "running", "berjalan"
        DONE = "done", "selesai"
        FAILED = "failed", "gagal"

    job = models.CharField(max_length=64, db_index=True)
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows = models.BigIntegerField(default=0)
    seconds = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.job} {self.status} {self.rows}"


class StoredFile(models.Model):
    """An uploaded document (issue 27 §5): claim documents, evidence, proof of life. The bytes live
    outside the web root under ``settings.PRIVATE_FILES_DIR``, named by their SHA-256; no URL serves
    the directory, only the owning app's view, within the caller's scope and audited (core/files.py)."""

    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=64)
    original_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class DistributedByColumn(models.Model):
    """A row of a table that a Citus cluster distributes by ``distribution_column`` (core/distribute.py,
    docs/scale.md): a membership by its person, a bill or payment by its payer, an allocation by its
    bill. Citus refuses an UPDATE that sets the distribution column, even to the value it holds
    ("modifying the partition value of rows is not allowed"), and Django's ``save()`` of a row read
    from the database sets every column. So saving such a row updates every field but that one, on one
    server as on a cluster: a row never changes what it is distributed by (a membership's person, a
    bill's payer)."""

    distribution_column: ClassVar[str] = ""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if (
            not self._state.adding
            and not args
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
        ):
            # As Django does for a row read with .only()/.defer(): the fields not loaded are left alone.
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key
                and f not in self._meta.pk_fields
                and f.attname != self.distribution_column
                and f.attname not in deferred
            ]
        super().save(*args, **kwargs)
