"""The registry: persons (NIK), employers (NPP), sponsors and memberships.

Tables, constraints and indexes only; workflows live in ``services.py``. Every person, employer
and membership carries its regency and province beside its village so that scoped reads and
rollups filter on an indexed column; CHECK constraints in ``sql.py`` hold the codes together (a
village code starts with its regency code, which starts with its province code).
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models

from paritrana.core.models import DistributedByColumn
from paritrana.regions.models import Branch, Region

from .rules.codes import MEMBERSHIP_TAGS, PROGRAMMES, SECTORS


class Sex(models.TextChoices):
    MALE = "L", "Laki-laki"
    FEMALE = "P", "Perempuan"


class DisabilityKind(models.TextChoices):
    # UU 8/2016 Pasal 4 ayat (1): ragam penyandang disabilitas.
    PHYSICAL = "fisik", "Fisik"
    INTELLECTUAL = "intelektual", "Intelektual"
    MENTAL = "mental", "Mental"
    SENSORY = "sensorik", "Sensorik"
    MULTIPLE = "ganda", "Ganda/multi"


class Person(models.Model):
    # Unique through Meta.constraints, not unique=True: that would add a second, LIKE-pattern index
    # nobody queries (NIKs are looked up whole), paid on every insert.
    nik = models.CharField("NIK", max_length=16)
    full_name = models.CharField("nama lengkap", max_length=150)
    title_prefix = models.CharField("gelar depan", max_length=60, blank=True, default="")
    title_suffix = models.CharField("gelar belakang", max_length=60, blank=True, default="")
    birth_date = models.DateField("tanggal lahir")
    birth_place = models.CharField("tempat lahir", max_length=80, blank=True, default="")
    sex = models.CharField("jenis kelamin", max_length=1, choices=Sex.choices)
    disability = models.BooleanField("penyandang disabilitas", default=False)
    disability_kind = models.CharField(
        "ragam disabilitas", max_length=12, choices=DisabilityKind.choices, blank=True, default=""
    )
    phone = models.CharField("telepon", max_length=20, blank=True, default="")
    address = models.CharField("alamat", max_length=200, blank=True, default="")
    # Not indexed: scoping and rollups use regency; regions are never deleted.
    village = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", db_column="village_code", db_index=False
    )
    # Indexed through Meta.indexes: a foreign key's own index on a text key comes with a LIKE twin.
    # No foreign key in the database: both are the village code's prefixes (CHECK person_region_codes,
    # sql.py), and a village implies its regency and province (region_code_by_level). Two checks per
    # person fewer when a regency enrols a list of 100,000 (decision 0005).
    regency = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        db_column="regency_code",
        db_index=False,
        db_constraint=False,
    )
    province = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        db_column="province_code",
        db_index=False,
        db_constraint=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "orang"
        verbose_name_plural = "orang"
        indexes = [
            # Scoping reads persons by regency (selectors._persons_scoped); nothing reads them by
            # province, so there is no province index for every insert to keep (issue 5's apply).
            models.Index(fields=["regency"], name="person_regency"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["nik"], name="person_nik_unique"),
            models.CheckConstraint(condition=models.Q(nik__regex=r"^[0-9]{16}$"), name="person_nik_16_digits"),
            models.CheckConstraint(condition=models.Q(sex__in=["L", "P"]), name="person_sex_l_p"),
            models.CheckConstraint(
                condition=models.Q(disability=True) | models.Q(disability_kind=""),
                name="person_disability_kind_needs_disability",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.title_prefix, self.full_name) if p) + (
            f", {self.title_suffix}" if self.title_suffix else ""
        )


class EmployerKind(models.TextChoices):
    PRIVATE = "private", "Perusahaan swasta"
    BUMN = "bumn", "BUMN"
    BUMD = "bumd", "BUMD"
    MINISTRY = "ministry", "Kementerian/lembaga"
    REGIONAL_GOVERNMENT = "regional_government", "Pemerintah daerah"
    VILLAGE_GOVERNMENT = "village_government", "Pemerintah desa"
    COOPERATIVE = "cooperative", "Koperasi"
    FOUNDATION = "foundation", "Yayasan"


class EmployerScale(models.TextChoices):
    # Perpres 109/2013 Pasal 6 phases membership by scale.
    LARGE = "large", "Besar"
    MEDIUM = "medium", "Menengah"
    SMALL = "small", "Kecil"
    MICRO = "micro", "Mikro"


class Employer(models.Model):
    npp = models.CharField("NPP", max_length=8, unique=True)
    name = models.CharField("nama", max_length=200)
    kind = models.CharField("jenis", max_length=24, choices=EmployerKind.choices)
    scale = models.CharField("skala", max_length=8, choices=EmployerScale.choices)
    sector = models.CharField("sektor (KBLI)", max_length=1, choices=[(k, v) for k, v in SECTORS.items()])
    jkk_risk_group = models.PositiveSmallIntegerField("kelompok risiko JKK")
    # PP 7/2025 Pasal 3: labour-intensive industry (six sectors, at least 50 active participants, JKK
    # paid up to January 2025) gets 50 % off JKK; decided per employer by the branch, so a flag.
    jkk_relief_eligible = models.BooleanField("berhak keringanan JKK PP 7/2025", default=False, db_default=False)
    address = models.CharField("alamat", max_length=200, blank=True, default="")
    regency = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_column="regency_code")
    province = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_column="province_code")
    branch = models.ForeignKey(Branch, null=True, blank=True, on_delete=models.PROTECT, related_name="employers")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pemberi kerja"
        verbose_name_plural = "pemberi kerja"
        constraints = [
            models.CheckConstraint(condition=models.Q(npp__regex=r"^[0-9]{8}$"), name="employer_npp_8_digits"),
            # PP 44/2015 Lampiran I: five JKK risk groups.
            models.CheckConstraint(
                condition=models.Q(jkk_risk_group__gte=1, jkk_risk_group__lte=5),
                name="employer_jkk_risk_group_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.npp})"


class SponsorKind(models.TextChoices):
    APBD_PROVINCE = "apbd_province", "APBD provinsi"
    APBD_REGENCY = "apbd_regency", "APBD kabupaten/kota"
    APBDES = "apbdes", "APBDes"
    APBN = "apbn", "APBN (kementerian/lembaga)"
    CSR = "csr", "CSR perusahaan"
    OTHER = "other", "Lainnya"


class Sponsor(models.Model):
    """A payer that is not the worker's employer: a Pemda's APBD, a village's APBDes, a ministry, a CSR."""

    code = models.CharField("kode", max_length=24, unique=True)
    name = models.CharField("nama", max_length=200)
    kind = models.CharField("jenis", max_length=16, choices=SponsorKind.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="sponsors",
        help_text="the jurisdiction whose residents it may sponsor",
    )
    regency = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_column="regency_code"
    )
    province = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_column="province_code")
    branch = models.ForeignKey(Branch, null=True, blank=True, on_delete=models.PROTECT, related_name="sponsors")
    employer = models.ForeignKey(
        Employer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsors",
        help_text="the institution as an employer, when it is one",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "penanggung iuran"
        verbose_name_plural = "penanggung iuran"

    def __str__(self) -> str:
        return self.name


class Segment(models.TextChoices):
    PU = "PU", "Penerima Upah"
    BPU = "BPU", "Bukan Penerima Upah"
    JAKON = "JAKON", "Jasa Konstruksi"
    PMI = "PMI", "Pekerja Migran Indonesia"


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "Aktif"
    SUSPENDED = "suspended", "Nonaktif sementara"
    ENDED = "ended", "Berakhir"


class EndReason(models.TextChoices):
    """Why a membership ended (issue 27 §2): what a leaver's record says, and what a JHT claim for
    resignation, dismissal or retirement (PP 60/2015) later rests on."""

    RESIGNED = "resigned", "Mengundurkan diri"
    DISMISSED = "dismissed", "Diberhentikan (PHK)"
    CONTRACT_ENDED = "contract_ended", "Kontrak kerja berakhir"
    RETIRED = "retired", "Pensiun"
    DIED = "died", "Meninggal dunia"
    OTHER = "other", "Lainnya"


class Membership(DistributedByColumn):
    """A person's participation through one employer or sponsor, in one segment.

    A person can hold several at once (a farmer who is BPU and a village guard who is PU); each has
    its own KPJ number, issued on registration.
    """

    distribution_column = "person_id"  # on a Citus cluster (core.models.DistributedByColumn)

    kpj = models.CharField("KPJ", max_length=11)  # unique through Meta.constraints (see Person.nik)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships")
    sponsor = models.ForeignKey(Sponsor, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships")
    segment = models.CharField("segmen", max_length=5, choices=Segment.choices)
    tags = ArrayField(models.CharField(max_length=24), default=list, blank=True)
    programmes = ArrayField(models.CharField(max_length=3), default=list)
    wage = models.DecimalField("upah dilaporkan", max_digits=15, decimal_places=2, null=True, blank=True)
    declared_income = models.DecimalField(
        "penghasilan dilaporkan", max_digits=15, decimal_places=2, null=True, blank=True
    )
    valid_from = models.DateField("berlaku sejak")
    valid_until = models.DateField("berlaku sampai", null=True, blank=True)
    status = models.CharField(max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE)
    # db_default: bulk SQL (synthesis, enrolment) inserts rows without naming this column.
    end_reason = models.CharField(
        "alasan berakhir", max_length=16, choices=EndReason.choices, blank=True, default="", db_default=""
    )
    # Where the membership is administered: the employer's or sponsor's regency, kept for scoping.
    # Indexed by the (regency, segment) index below, which also serves regency alone.
    regency = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", db_column="regency_code", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kepesertaan"
        verbose_name_plural = "kepesertaan"
        indexes = [
            models.Index(fields=["regency", "segment"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["kpj"], name="membership_kpj_unique"),
            models.CheckConstraint(condition=models.Q(kpj__regex=r"^[0-9]{11}$"), name="membership_kpj_11_digits"),
            models.CheckConstraint(
                # BPU and PMI participants may pay for themselves (regulation.md §1.4, §1.6).
                condition=models.Q(employer__isnull=False)
                | models.Q(sponsor__isnull=False)
                | models.Q(segment__in=["BPU", "PMI"]),
                name="membership_payer_unless_self_paying",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="membership_valid_range",
            ),
            models.CheckConstraint(
                condition=models.Q(tags__contained_by=list(MEMBERSHIP_TAGS)), name="membership_known_tags"
            ),
            models.CheckConstraint(
                condition=models.Q(programmes__contained_by=list(PROGRAMMES)),
                name="membership_known_programmes",
            ),
            models.CheckConstraint(
                condition=models.Q(wage__isnull=True) | models.Q(wage__gte=0),
                name="membership_wage_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(declared_income__isnull=True) | models.Q(declared_income__gte=0),
                name="membership_income_not_negative",
            ),
            # One open registration per person, payer and segment.
            models.UniqueConstraint(
                fields=["person", "employer", "sponsor", "segment"],
                condition=~models.Q(status="ended"),
                name="membership_one_open_per_payer",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpj} {self.segment}"


class ChangeHistory(models.Model):
    """Every UPDATE and DELETE on the registry tables, written by a database trigger.

    A trigger rather than service code, so that bulk SQL and the admin leave history too. The
    acting user comes from the transaction-local setting ``paritrana.actor_id``.
    """

    table_name = models.CharField(max_length=64)
    row_id = models.BigIntegerField()
    # The person the changed row belongs to (the person's own row, a membership's person); 0 for
    # employers and sponsors. A person's history is read by it, and a Citus cluster distributes the
    # history by it beside the persons (registry/sql.py, core/distribute.py).
    person_id = models.BigIntegerField(default=0)
    operation = models.CharField(max_length=6)
    at = models.DateTimeField(auto_now_add=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    old = models.JSONField(null=True)
    new = models.JSONField(null=True)

    class Meta:
        indexes = [models.Index(fields=["table_name", "row_id"]), models.Index(fields=["person_id", "at"])]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.table_name}:{self.row_id} {self.operation}"


class WageChange(DistributedByColumn):
    """A wage reported from a month on (issue 27 §3, the employer's monthly wage report).

    ``Membership.wage`` always holds the latest wage reported; each change keeps the wage it replaced,
    so the wage in force in a month is the ``previous_wage`` of the first change after that month, or
    the membership's own wage when none follows (``contributions/batch/billing.sql``). PP 44/2015
    Pasal 15 and PP 46/2015 Pasal 16: the contribution is computed on the wage reported for the month;
    a change is billed from the month it takes effect, never for a month already billed.
    """

    distribution_column = "person_id"  # on a Citus cluster (core.models.DistributedByColumn)

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="wage_changes")
    # The membership's person (migration 0010), the distribution column on a Citus cluster
    # (docs/scale.md): billing joins the changes to memberships on the same shard.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", db_index=False)
    effective_from = models.DateField("berlaku mulai")  # the first day of a month
    wage = models.DecimalField("upah", max_digits=15, decimal_places=2)
    previous_wage = models.DecimalField("upah sebelumnya", max_digits=15, decimal_places=2, null=True, blank=True)
    reported_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "perubahan upah"
        verbose_name_plural = "perubahan upah"
        constraints = [
            models.UniqueConstraint(fields=["membership", "effective_from"], name="wagechange_one_per_month"),
            models.CheckConstraint(condition=models.Q(wage__gte=0), name="wagechange_wage_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.effective_from:%m/%Y} {self.wage}"
