"""Outside lists (KUR borrowers, Kartu Prakerja recipients, any other) and what matching found.

A list is kept apart from the registry: its rows (``ListedPerson``) hold what the bank or programme
wrote, as written, with the file they came from. A ``LinkRun`` matches a list against the registry
with a versioned ``LinkModel`` and leaves one ``Match`` per listed person (the decision, the person
found, the outcome) and, for the uncertain ones, the ``Candidate`` pairs a clerk reviews.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from paritrana.registry.models import Person


class ListKind(models.TextChoices):
    KUR = "kur", "Penerima KUR"
    PRAKERJA = "prakerja", "Penerima Kartu Prakerja"
    OTHER = "other", "Daftar lain"


class OutsideList(models.Model):
    name = models.CharField("nama daftar", max_length=200)
    kind = models.CharField("jenis", max_length=10, choices=ListKind.choices)
    bank = models.CharField("bank penyalur", max_length=60, blank=True, default="")
    year = models.PositiveSmallIntegerField("tahun", null=True, blank=True)
    cohort = models.CharField("gelombang", max_length=40, blank=True, default="")
    origin = models.CharField("asal berkas", max_length=255)
    sha256 = models.CharField(max_length=64)
    mapping = models.JSONField("pemetaan kolom", default=dict, blank=True)
    rows = models.PositiveIntegerField("jumlah baris", default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "daftar luar"
        verbose_name_plural = "daftar luar"
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.name


class ListedPerson(models.Model):
    """One row of an outside list, as written (only the regency is read into a code on import)."""

    list = models.ForeignKey(OutsideList, on_delete=models.CASCADE, related_name="persons")
    line = models.PositiveIntegerField("baris")
    nik_raw = models.CharField("NIK tertulis", max_length=40, blank=True, default="")
    name_raw = models.CharField("nama tertulis", max_length=200, blank=True, default="")
    birth_date_raw = models.CharField("tanggal lahir tertulis", max_length=40, blank=True, default="")
    sex_raw = models.CharField("jenis kelamin tertulis", max_length=20, blank=True, default="")
    region_raw = models.CharField("kabupaten/kota tertulis", max_length=120, blank=True, default="")
    regency_code = models.CharField("kode kabupaten/kota", max_length=5, blank=True, default="")
    phone = models.CharField("telepon", max_length=40, blank=True, default="")
    address = models.CharField("alamat", max_length=255, blank=True, default="")
    bank = models.CharField("bank", max_length=60, blank=True, default="")
    truth = models.CharField("NIK sebenarnya (uji)", max_length=16, blank=True, default="")

    class Meta:
        verbose_name = "orang dalam daftar"
        verbose_name_plural = "orang dalam daftar"
        constraints = [models.UniqueConstraint(fields=["list", "line"], name="listed_person_line_unique")]

    def __str__(self) -> str:
        return f"{self.name_raw} (baris {self.line})"


class LinkModel(models.Model):
    """A trained Splink model, saved whole; runs name the version they used."""

    version = models.PositiveIntegerField(unique=True)
    settings_json = models.JSONField()
    trained_on = models.ForeignKey(OutsideList, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    training_records = models.PositiveIntegerField(default=0)
    seconds = models.DecimalField(max_digits=10, decimal_places=3, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"model v{self.version}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Menunggu"
    RUNNING = "running", "Berjalan"
    DONE = "done", "Selesai"
    FAILED = "failed", "Gagal"


class Engine(models.TextChoices):
    DUCKDB = "duckdb", "DuckDB (satu mesin)"
    SPARK = "spark", "Spark (skala besar)"


class LinkRun(models.Model):
    list = models.ForeignKey(OutsideList, on_delete=models.CASCADE, related_name="runs")
    # Where training and prediction ran (batch.spark for the scale-out path).
    engine = models.CharField(max_length=10, choices=Engine.choices, default=Engine.DUCKDB)
    model = models.ForeignKey(LinkModel, null=True, blank=True, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    stage = models.CharField(max_length=30, blank=True, default="")
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    thresholds = models.JSONField(default=dict)
    counts = models.JSONField(default=dict)
    steps = models.JSONField(default=dict)
    error = models.TextField(blank=True, default="")
    seconds = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"pencocokan #{self.pk} {self.list}"


class Decision(models.TextChoices):
    MATCH = "match", "Cocok"
    REVIEW = "review", "Perlu diperiksa"
    AMBIGUOUS = "ambiguous", "Lebih dari satu kandidat"
    NONE = "none", "Tidak ditemukan"


class Outcome(models.TextChoices):
    ACTIVE = "covered_active", "Terlindungi, aktif"
    LAPSED = "covered_lapsed", "Terdaftar, tidak aktif atau menunggak"
    NOT_COVERED = "not_covered", "Belum terlindungi"
    AMBIGUOUS = "ambiguous", "Meragukan"


class Match(models.Model):
    """One listed person's answer in one run (a clerk's review updates it).

    A run writes a row per listed person (a million for a national list) in one set-based insert
    whose keys were just read from these very tables; checking three foreign keys per row at commit
    cost more than the rest of the write (measured: 59 s for 1,000,000 rows). The keys are kept
    without database constraints, and deletes go through Django, which cascades (lists, runs) and
    nulls (persons) as declared."""

    run = models.ForeignKey(LinkRun, on_delete=models.CASCADE, related_name="matches", db_constraint=False)
    listed = models.ForeignKey(ListedPerson, on_delete=models.CASCADE, related_name="matches", db_constraint=False)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    stage = models.CharField(max_length=10, blank=True, default="")  # nik | model | clerk
    weight = models.FloatField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    regency_code = models.CharField(max_length=5, blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "listed"], name="match_one_per_listed")]
        indexes = [models.Index(fields=["run", "decision"], name="match_run_decision")]

    def __str__(self) -> str:
        return f"{self.listed_id} → {self.person_id or '-'} ({self.decision})"


class Candidate(models.Model):
    """A registry person a clerk should compare with an uncertain listed person, with the evidence."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    weight = models.FloatField()
    evidence = models.JSONField(default=dict)

    class Meta:
        ordering = ["match", "rank"]

    def __str__(self) -> str:
        return f"kandidat {self.rank} untuk {self.match_id}"
