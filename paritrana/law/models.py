"""The law as dated rows.

Every amount the calculators, billing and the jobs use comes from ``Parameter``: one row per rule and
period of force, with its legal basis, source and certainty tag (regulation.md's [P]/[O]/[S]/[C]/[U]).
Rules marked [U] stay here as data so that an administrator can correct them without a code change;
every change is audited (admin.py).
"""

from __future__ import annotations

from django.db import models


class Certainty(models.TextChoices):
    PRIMARY = "P", "P — teks pasal"
    OFFICIAL = "O", "O — pernyataan resmi"
    SECONDARY = "S", "S — sumber sekunder"
    COMPUTED = "C", "C — dihitung"
    UNCERTAIN = "U", "U — belum pasti"


class Parameter(models.Model):
    key = models.CharField("kunci", max_length=60, db_index=True)
    value = models.DecimalField("nilai", max_digits=20, decimal_places=6)
    valid_from = models.DateField("berlaku sejak")
    valid_until = models.DateField("berlaku sampai", null=True, blank=True)
    legal_basis = models.CharField("dasar hukum", max_length=200)
    source = models.CharField("sumber", max_length=300)
    certainty = models.CharField("kepastian", max_length=1, choices=Certainty.choices)
    note = models.CharField("catatan", max_length=300, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "parameter hukum"
        verbose_name_plural = "parameter hukum"
        ordering = ["key", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="parameter_key_from_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="parameter_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} ({self.valid_from}–{self.valid_until or '…'})"


class Holiday(models.Model):
    """A day on which offices and banks do not work, besides Saturdays and Sundays: the national
    public holidays and the collective leave days (cuti bersama) of each year's joint decree of the
    Ministers of Religious Affairs, Manpower and Administrative Reform (SKB tiga menteri), and the
    days a presidential decree adds (election days). Loaded from ``law/data/holidays.csv``; they move
    contribution due dates and count out of the working days of a service level."""

    class Kind(models.TextChoices):
        NATIONAL = "national", "Libur nasional"
        COLLECTIVE_LEAVE = "collective_leave", "Cuti bersama"

    day = models.DateField("tanggal", unique=True)
    kind = models.CharField("jenis", max_length=16, choices=Kind.choices)
    name = models.CharField("nama", max_length=120)
    legal_basis = models.CharField("dasar hukum", max_length=200)
    source = models.CharField("sumber", max_length=300)
    certainty = models.CharField("kepastian", max_length=1, choices=Certainty.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "hari libur"
        verbose_name_plural = "hari libur"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"
