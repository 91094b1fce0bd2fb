"""Bulk enrolment: an uploaded list, its rows as staged text, each bad row's reasons, the sponsor's budget.

An upload is staged once (``StagedRow``: every cell as text, so no bad cell can fail the load),
validated by set-based SQL (``RowError``), then applied in committed batches; ``applied_through``
is the last line whose batch committed, so a killed job resumes after it (decision 0005).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models


class UploadStatus(models.TextChoices):
    VALIDATED = "validated", "Sudah diperiksa"
    QUEUED = "queued", "Menunggu diproses"
    APPLYING = "applying", "Sedang didaftarkan"
    APPLIED = "applied", "Selesai didaftarkan"
    FAILED = "failed", "Gagal"


class Upload(models.Model):
    """One file from one payer: a sponsor (APBD, APBDes, ministry, CSR) or an employer."""

    sponsor = models.ForeignKey(
        "registry.Sponsor", null=True, blank=True, on_delete=models.PROTECT, related_name="uploads"
    )
    employer = models.ForeignKey(
        "registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="uploads"
    )
    file_name = models.CharField("nama berkas", max_length=200)
    file_sha256 = models.CharField(max_length=64)
    mapping = models.JSONField("pemetaan kolom", default=dict, blank=True)
    # The date memberships start when a row gives none.
    valid_from = models.DateField("berlaku sejak")
    dry_run = models.BooleanField("uji coba", default=False)
    status = models.CharField(max_length=10, choices=UploadStatus.choices, default=UploadStatus.VALIDATED)
    rows = models.PositiveIntegerField(default=0)
    valid = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    already_enrolled = models.PositiveIntegerField(default=0)
    applied = models.PositiveIntegerField(default=0)
    applied_through = models.PositiveIntegerField("baris terakhir yang sudah diterapkan", default=0)
    last_line = models.PositiveIntegerField(default=0)
    errors_by_code = models.JSONField(default=dict, blank=True)
    seconds = models.DecimalField(max_digits=10, decimal_places=3, default=0)
    apply_seconds = models.DecimalField(max_digits=10, decimal_places=3, default=0)
    detail = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "unggahan pendaftaran"
        verbose_name_plural = "unggahan pendaftaran"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sponsor__isnull=False, employer__isnull=True)
                | models.Q(sponsor__isnull=True, employer__isnull=False),
                name="upload_one_payer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows} baris)"

    @property
    def error_counts(self) -> list[tuple[str, int]]:
        """Error codes by count, the most frequent first. Every reader shows them in this order:
        jsonb keeps keys in its own order (by length), not the order they were written in."""
        return sorted(self.errors_by_code.items(), key=lambda kv: (-kv[1], kv[0]))

    @property
    def progress(self) -> int:
        """Percent of the file's lines whose batch has committed."""
        if self.status == UploadStatus.APPLIED or not self.last_line:
            return 100 if self.status == UploadStatus.APPLIED else 0
        return min(100, int(100 * self.applied_through / self.last_line))


class StagedRow(models.Model):
    """One line of an uploaded file, as the uploader typed it (stripped), plus the cleaned values the
    validation derives. Written by COPY; read and updated by set-based SQL only.

    The table is partitioned by upload (migration 0005; one partition made per upload by
    enrol.py): each upload's rows carry their own planner statistics, so the checks and the apply
    batches get plans sized to the upload, and an old upload's rows go with one DROP.
    """

    pk = models.CompositePrimaryKey("upload_id", "line")
    # No foreign-key constraint: COPY would check it row by row, and the staged rows of an upload are
    # only ever written by the upload's own staging step. Uploads are kept, never deleted.
    upload = models.ForeignKey(
        Upload, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    line = models.PositiveIntegerField()
    nik = models.TextField(blank=True, default="")
    full_name = models.TextField(blank=True, default="")
    title_prefix = models.TextField(blank=True, default="")
    title_suffix = models.TextField(blank=True, default="")
    birth_date = models.TextField(blank=True, default="")
    sex = models.TextField(blank=True, default="")
    village_code = models.TextField(blank=True, default="")
    segment = models.TextField(blank=True, default="")
    tags = models.TextField(blank=True, default="")
    programmes = models.TextField(blank=True, default="")
    wage = models.TextField(blank=True, default="")
    declared_income = models.TextField(blank=True, default="")
    valid_from = models.TextField(blank=True, default="")
    phone = models.TextField(blank=True, default="")
    address = models.TextField(blank=True, default="")
    birth_place = models.TextField(blank=True, default="")
    # Set when the cell came from a spreadsheet number: Excel keeps 15 significant digits.
    nik_numeric = models.BooleanField(default=False)
    # Derived by validation.
    born = models.DateField(null=True)
    nik_born = models.DateField(null=True)  # the birth date the NIK encodes (regions/rules/nik.py)
    nik_sex = models.CharField(max_length=1, blank=True, default="")
    sex_code = models.CharField(max_length=1, blank=True, default="")
    segment_code = models.CharField(max_length=5, blank=True, default="")
    tag_list = ArrayField(models.CharField(max_length=24), null=True)
    programme_list = ArrayField(models.CharField(max_length=3), null=True)
    wage_amount = models.DecimalField(max_digits=15, decimal_places=2, null=True)
    income_amount = models.DecimalField(max_digits=15, decimal_places=2, null=True)
    start = models.DateField(null=True)
    invalid = models.BooleanField(default=False)
    outcome = models.CharField(max_length=10, blank=True, default="")  # "", already, applied
    membership_id = models.BigIntegerField(null=True)

    class Meta:
        db_table = "enrolment_row"

    def __str__(self) -> str:
        return f"{self.upload_id}:{self.line}"


class LineFinding(models.Model):
    """What the checks found on one line of an upload: the column, a stable code, the reason."""

    line = models.PositiveIntegerField()
    field = models.CharField(max_length=24)
    code = models.CharField(max_length=40)
    message = models.CharField(max_length=300)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.line} {self.field} {self.code}"


class RowError(LineFinding):
    """A refusal: the line is invalid and never enrolled."""

    upload = models.ForeignKey(Upload, on_delete=models.PROTECT, related_name="errors")

    class Meta:
        db_table = "enrolment_error"
        indexes = [models.Index(fields=["upload", "line"], name="enrolment_error_line")]


class RowNote(LineFinding):
    """A warning about a valid line: it is enrolled, but worth a look (issue 28 §3). A NIK whose
    district code is not among the districts known today may be an old code, since the history of
    district codes is incomplete, or a typo the other checks could not see."""

    upload = models.ForeignKey(Upload, on_delete=models.PROTECT, related_name="notes")

    class Meta:
        db_table = "enrolment_note"
        indexes = [models.Index(fields=["upload", "line"], name="enrolment_note_line")]


class SponsorBudget(models.Model):
    """A sponsor's allocation for one budget year (APBD, APBDes, DIPA), and how many months it pays."""

    sponsor = models.ForeignKey("registry.Sponsor", on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveSmallIntegerField("tahun anggaran")
    allocation = models.DecimalField("pagu", max_digits=18, decimal_places=0)
    months = models.PositiveSmallIntegerField("bulan dibayar", default=12)
    document = models.CharField("dokumen anggaran", max_length=200, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "anggaran penanggung iuran"
        verbose_name_plural = "anggaran penanggung iuran"
        constraints = [
            models.UniqueConstraint(fields=["sponsor", "year"], name="sponsor_budget_one_per_year"),
            models.CheckConstraint(condition=models.Q(months__gte=1, months__lte=12), name="sponsor_budget_months"),
            models.CheckConstraint(condition=models.Q(allocation__gte=0), name="sponsor_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.sponsor} {self.year}"
