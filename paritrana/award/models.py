"""The Paritrana Award (issue 8; regulation.md § 6): editions, categories, candidates drawn from the
registry, jurors by stage and category, their marks, conflicts of interest, and the results."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from paritrana.regions.models import Region


class Stage(models.TextChoices):
    SETUP = "setup", "Persiapan"
    PROVINCIAL = "provincial", "Seleksi provinsi"
    CENTRAL = "central", "Verifikasi dan validasi pusat"
    INTERVIEW = "interview", "Wawancara"
    FINAL = "final", "Penetapan pemenang"
    PUBLISHED = "published", "Diumumkan"


class Edition(models.Model):
    year = models.PositiveSmallIntegerField("tahun penghargaan", unique=True)
    name = models.CharField("nama", max_length=200)
    # The period the indicators are read over (normally the year before the ceremony).
    period_start = models.DateField("awal periode penilaian")
    period_end = models.DateField("akhir periode penilaian")
    stage = models.CharField("tahap", max_length=12, choices=Stage.choices, default=Stage.SETUP)
    computed_at = models.DateTimeField("indikator dihitung", null=True, blank=True)
    published_at = models.DateTimeField("diumumkan", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "edisi Paritrana Award"
        verbose_name_plural = "edisi Paritrana Award"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gt=models.F("period_start")), name="edition_period")
        ]

    def __str__(self) -> str:
        return self.name


class CategoryKind(models.TextChoices):
    PROVINCE = "province", "Provinsi"
    REGENCY = "regency", "Kabupaten/kota"
    ENTERPRISE = "enterprise", "Badan usaha"


class Category(models.Model):
    """One category of an edition. Provinces, regencies/cities and enterprises of a scale are drawn
    from the registry; a category may instead (or also) take self-nominations."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField("kode", max_length=40)
    name = models.CharField("nama", max_length=200)
    kind = models.CharField("jenis", max_length=12, choices=CategoryKind.choices)
    scale = models.CharField("skala usaha", max_length=8, blank=True, default="")  # EmployerScale, enterprises
    sector = models.CharField("sektor (KBLI)", max_length=1, blank=True, default="")  # "" = all sectors
    # Which kinds of employer stand (enterprise categories): business entities by default; a
    # village-government or university category names its own kinds.
    employer_kinds = models.JSONField("jenis pemberi kerja", default=list)
    self_nomination = models.BooleanField("dengan pendaftaran mandiri", default=False)
    provincial_stage = models.BooleanField("dinilai panel provinsi", default=True)
    weights = models.JSONField("bobot indikator", default=dict)
    stage_weights = models.JSONField("bobot tahap", default=dict)
    shortlist_per_province = models.PositiveSmallIntegerField("lolos seleksi per provinsi", default=3)
    interview_slots = models.PositiveSmallIntegerField("diundang wawancara", default=10)
    winners = models.PositiveSmallIntegerField("jumlah pemenang", default=3)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "kategori"
        verbose_name_plural = "kategori"
        ordering = ["edition", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="award_category_code")]

    def __str__(self) -> str:
        return self.name


class Candidate(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="candidates")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(
        "registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="award_candidacies"
    )
    province_code = models.CharField(max_length=2)  # the provincial panel that judges it
    name = models.CharField("nama", max_length=200)
    self_nominated = models.BooleanField("mendaftar sendiri", default=False)
    eligible = models.BooleanField("memenuhi syarat", default=True)
    exclusion = models.CharField("alasan tidak memenuhi syarat", max_length=40, blank=True, default="")
    values = models.JSONField("nilai indikator", default=dict)  # code -> value as text (None: no data)
    calculation = models.JSONField("perhitungan", default=dict)  # code -> rules.award.Part.as_dict()
    indicator_score = models.DecimalField("skor indikator", max_digits=6, decimal_places=2, default=0)
    provincial_score = models.DecimalField("skor panel provinsi", max_digits=6, decimal_places=2, null=True)
    shortlisted = models.BooleanField("lolos seleksi provinsi", default=False)
    verified = models.BooleanField("terverifikasi", null=True)
    verification_note = models.CharField("catatan verifikasi", max_length=500, blank=True, default="")
    invited = models.BooleanField("diundang wawancara", default=False)
    interview_score = models.DecimalField("skor wawancara", max_digits=6, decimal_places=2, null=True)
    final_score = models.DecimalField("skor akhir", max_digits=6, decimal_places=2, null=True)
    rank = models.PositiveSmallIntegerField("peringkat", null=True)
    winner = models.BooleanField("pemenang", default=False)

    class Meta:
        verbose_name = "kandidat"
        verbose_name_plural = "kandidat"
        constraints = [
            models.UniqueConstraint(fields=["category", "region"], name="award_candidate_region"),
            models.UniqueConstraint(fields=["category", "employer"], name="award_candidate_employer"),
            models.CheckConstraint(
                condition=models.Q(region__isnull=False) | models.Q(employer__isnull=False), name="award_candidate_who"
            ),
        ]
        indexes = [models.Index(fields=["category", "province_code"], name="award_candidate_province")]

    def __str__(self) -> str:
        return self.name


class Juror(models.Model):
    """A juror's seat: one stage of one category of an edition, and for the provincial panels one
    province. A juror sees and marks only the candidates of their seats."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="award_seats")
    stage = models.CharField("tahap", max_length=12, choices=Stage.choices)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="jurors")
    province_code = models.CharField("provinsi (panel provinsi)", max_length=2, blank=True, default="")
    title = models.CharField("unsur", max_length=200, blank=True, default="")  # e.g. "Apindo", "BPS"

    class Meta:
        verbose_name = "juri"
        verbose_name_plural = "juri"
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "user", "stage", "category", "province_code"], name="award_juror_seat"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.stage} {self.category.code} {self.province_code}"


class Conflict(models.Model):
    """A juror's declared conflict of interest with a candidate: they may not mark it."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="conflicts")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField("alasan", max_length=500)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "konflik kepentingan"
        verbose_name_plural = "konflik kepentingan"
        constraints = [models.UniqueConstraint(fields=["juror", "candidate"], name="award_conflict_once")]

    def __str__(self) -> str:
        return f"{self.juror} ≠ {self.candidate}"


class Score(models.Model):
    """One juror's mark (0–100) for one candidate on one criterion of their stage."""

    juror = models.ForeignKey(Juror, on_delete=models.PROTECT, related_name="scores")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField("kriteria", max_length=20)
    value = models.DecimalField("nilai", max_digits=5, decimal_places=2)
    note = models.CharField("catatan", max_length=500, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "nilai juri"
        verbose_name_plural = "nilai juri"
        constraints = [
            models.UniqueConstraint(fields=["juror", "candidate", "criterion"], name="award_score_once"),
            models.CheckConstraint(condition=models.Q(value__gte=0, value__lte=100), name="award_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.juror} {self.candidate} {self.criterion}={self.value}"
