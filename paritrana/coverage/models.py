"""Coverage monitoring (issue 6): official denominators and targets as data, and the monthly
rollups the dashboards read. Dashboards never count the registry per request (batch/rollup.sql)."""

from __future__ import annotations

from django.db import models

from paritrana.regions.models import Region


class DenominatorKind(models.TextChoices):
    EMPLOYED = "employed", "Penduduk bekerja"
    LABOUR_FORCE = "labour_force", "Angkatan kerja"
    POTENTIAL = "potential", "Potensi peserta"


class Denominator(models.Model):
    """A workforce figure for a region (none: Indonesia) and year, with its source. Figures from
    different sources disagree (data-sources.md): each number on a page names the one it used."""

    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("tahun")
    kind = models.CharField("jenis", max_length=16, choices=DenominatorKind.choices)
    value = models.PositiveBigIntegerField("nilai")
    # Of which women, and persons with a disability, where the source breaks the figure down: the
    # parity indicators compare the active participants' shares with these (rules/indicators.parity).
    women = models.PositiveBigIntegerField("di antaranya perempuan", null=True, blank=True)
    disability = models.PositiveBigIntegerField("di antaranya penyandang disabilitas", null=True, blank=True)
    source = models.CharField("sumber", max_length=300)
    illustrative = models.BooleanField("ilustratif (bukan angka resmi)", default=False)

    class Meta:
        verbose_name = "penyebut cakupan"
        verbose_name_plural = "penyebut cakupan"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "kind"], nulls_distinct=False, name="denominator_one_per_region_year_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id or 'ID'} {self.year} {self.kind}"


class Target(models.Model):
    """A coverage target: active participants wanted in a year, for a region (none: Indonesia) and a
    segment ("" = all segments), with its source."""

    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("tahun")
    segment = models.CharField("segmen", max_length=5, blank=True, default="")
    value = models.PositiveBigIntegerField("target peserta aktif")
    source = models.CharField("sumber", max_length=300)

    class Meta:
        verbose_name = "target cakupan"
        verbose_name_plural = "target cakupan"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "segment"], nulls_distinct=False, name="target_one_per_region_year_segment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id or 'ID'} {self.year} {self.segment or '*'}"


class CoverageMonth(models.Model):
    """Active participants of a month by regency/city, segment, sex, disability and age band
    (rules/indicators.py). Rebuilt per month by batch/rollup.sql; province and national figures are
    sums of these rows."""

    id = models.BigAutoField(primary_key=True)
    period = models.DateField("bulan")  # first day
    regency = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", db_column="regency_code", db_constraint=False
    )
    province_code = models.CharField(max_length=2)
    segment = models.CharField(max_length=5)
    sex = models.CharField(max_length=1)
    disability = models.BooleanField()
    age_band = models.PositiveSmallIntegerField()
    active = models.PositiveIntegerField()

    class Meta:
        db_table = "coverage_month"
        indexes = [models.Index(fields=["period", "province_code"], name="coverage_month_province")]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "regency", "segment", "sex", "disability", "age_band"], name="coverage_month_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.regency_id} {self.segment}: {self.active}"


class CoverageTagMonth(models.Model):
    """Active participants of a month by regency/city, segment and membership tag (non-ASN,
    vulnerable, village apparatus, KUR, Prakerja…); a participant with two tags counts under each."""

    id = models.BigAutoField(primary_key=True)
    period = models.DateField("bulan")
    regency = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", db_column="regency_code", db_constraint=False
    )
    province_code = models.CharField(max_length=2)
    segment = models.CharField(max_length=5)
    tag = models.CharField(max_length=24)
    active = models.PositiveIntegerField()

    class Meta:
        db_table = "coverage_tag_month"
        indexes = [models.Index(fields=["period", "province_code"], name="coverage_tag_month_province")]
        constraints = [
            models.UniqueConstraint(fields=["period", "regency", "segment", "tag"], name="coverage_tag_month_cell")
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.regency_id} {self.tag}: {self.active}"


class CoverageProvinceMonth(models.Model):
    """coverage_month summed per province and segment (with the women and the persons with a
    disability among them): the national page reads 38 × segments rows, not the month's every cell."""

    id = models.BigAutoField(primary_key=True)
    period = models.DateField("bulan")
    province_code = models.CharField(max_length=2)
    segment = models.CharField(max_length=5)
    active = models.PositiveIntegerField()
    women = models.PositiveIntegerField()
    disability = models.PositiveIntegerField()

    class Meta:
        db_table = "coverage_province_month"
        constraints = [
            models.UniqueConstraint(fields=["period", "province_code", "segment"], name="coverage_province_month_cell")
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.province_code} {self.segment}: {self.active}"


class FinanceMonth(models.Model):
    """The money of a contribution month per payer region: what the paid bills of the month carry per
    programme (rules/indicators.py "contributions"), and how many employers paid the month's bill.
    ``regency`` is the bill's region: a regency/city, or a province for a provincial budget's bills."""

    id = models.BigAutoField(primary_key=True)
    period = models.DateField("bulan")
    regency = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", db_column="regency_code", db_constraint=False
    )
    province_code = models.CharField(max_length=2)
    employers = models.PositiveIntegerField(default=0)
    lines = models.PositiveIntegerField(default=0)
    jkk = models.DecimalField(max_digits=18, decimal_places=0, default=0)
    jkm = models.DecimalField(max_digits=18, decimal_places=0, default=0)
    jht = models.DecimalField(max_digits=18, decimal_places=0, default=0)
    jp = models.DecimalField(max_digits=18, decimal_places=0, default=0)
    jkp_government = models.DecimalField(max_digits=18, decimal_places=0, default=0)
    jkp_recomposed = models.DecimalField(max_digits=18, decimal_places=0, default=0)
    pmi_package = models.DecimalField(max_digits=18, decimal_places=0, default=0)

    class Meta:
        db_table = "coverage_finance_month"
        indexes = [models.Index(fields=["period", "province_code"], name="coverage_finance_province")]
        constraints = [models.UniqueConstraint(fields=["period", "regency"], name="coverage_finance_month_cell")]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.regency_id}"


class ClaimMonth(models.Model):
    """Benefits paid in a calendar month (by the day of payment) per regency/city and programme."""

    id = models.BigAutoField(primary_key=True)
    period = models.DateField("bulan")
    regency = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", db_column="regency_code", db_constraint=False
    )
    province_code = models.CharField(max_length=2)
    programme = models.CharField(max_length=8)
    claims = models.PositiveIntegerField()
    amount = models.DecimalField(max_digits=18, decimal_places=0)
    penalty = models.DecimalField(max_digits=18, decimal_places=0)

    class Meta:
        db_table = "coverage_claim_month"
        indexes = [models.Index(fields=["period", "province_code"], name="coverage_claim_province")]
        constraints = [
            models.UniqueConstraint(fields=["period", "regency", "programme"], name="coverage_claim_month_cell")
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.regency_id} {self.programme}"


# --- Inpres 2/2021 follow-up (issue 6 §5; regulation.md §5) ---------------------------------------


class AddresseeKind(models.TextChoices):
    MINISTER = "minister", "Menteri"
    ATTORNEY_GENERAL = "attorney_general", "Jaksa Agung"
    AGENCY_HEAD = "agency_head", "Kepala lembaga"
    BPJS = "bpjs", "Direksi BPJS Ketenagakerjaan"
    GOVERNOR = "governor", "Gubernur"
    REGENT = "regent", "Bupati/Wali Kota"


class Addressee(models.Model):
    """One addressee of the Inpres. Governors and regents/mayors follow the regions (38 and 514);
    the ministers are a configurable list, each marked with whether the stored sources name it."""

    kind = models.CharField("jenis", max_length=16, choices=AddresseeKind.choices)
    title = models.CharField("jabatan", max_length=200)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField("sumber", max_length=300, blank=True, default="")
    confirmed = models.BooleanField("disebut sumber", default=True)

    class Meta:
        verbose_name = "penerima Inpres"
        verbose_name_plural = "penerima Inpres"
        constraints = [
            models.UniqueConstraint(fields=["kind", "title", "region"], nulls_distinct=False, name="addressee_unique")
        ]
        indexes = [models.Index(fields=["kind", "region"], name="addressee_kind_region")]

    def __str__(self) -> str:
        return self.title


class Instruction(models.Model):
    """What the Inpres instructs a kind of addressee (one row per instruction, with its source)."""

    kind = models.CharField("untuk", max_length=16, choices=AddresseeKind.choices, blank=True, default="")
    title = models.CharField("khusus jabatan", max_length=200, blank=True, default="")  # "" = every one of the kind
    text = models.TextField("instruksi")
    source = models.CharField("sumber", max_length=300)

    class Meta:
        verbose_name = "instruksi Inpres"
        verbose_name_plural = "instruksi Inpres"

    def __str__(self) -> str:
        return self.text[:60]


class ActionKind(models.TextChoices):
    REGULATION = "regulation", "Regulasi diterbitkan"
    BUDGET = "budget", "Anggaran dialokasikan"
    LICENSING = "licensing", "Syarat kepesertaan pada perizinan (PTSP)"
    REGISTRATION = "registration", "Pendaftaran peserta"
    OTHER = "other", "Lainnya"


class FollowUpAction(models.Model):
    """An addressee's action with its evidence: a regulation (type, number, date), an allocation
    (year, amount, workers covered), a licensing requirement, registration progress, or other."""

    addressee = models.ForeignKey(Addressee, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField("jenis", max_length=16, choices=ActionKind.choices)
    taken_on = models.DateField("tanggal")
    description = models.CharField("uraian", max_length=500)
    regulation_type = models.CharField("jenis regulasi", max_length=60, blank=True, default="")
    regulation_number = models.CharField("nomor regulasi", max_length=60, blank=True, default="")
    budget_year = models.PositiveSmallIntegerField("tahun anggaran", null=True, blank=True)
    budget_amount = models.DecimalField("jumlah anggaran", max_digits=17, decimal_places=0, null=True, blank=True)
    workers = models.PositiveIntegerField("pekerja yang ditanggung", null=True, blank=True)
    evidence = models.CharField("bukti (dokumen, tautan)", max_length=500)
    # The evidence itself as a file (issue 27 §5): the signed regulation, the DPA page, a scan.
    evidence_file = models.ForeignKey(
        "core.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    recorded_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tindak lanjut Inpres"
        verbose_name_plural = "tindak lanjut Inpres"
        indexes = [models.Index(fields=["addressee", "kind"], name="followup_addressee_kind")]

    def __str__(self) -> str:
        return f"{self.addressee} {self.kind} {self.taken_on}"
