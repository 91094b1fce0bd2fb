"""Wage subsidy (BSU) rounds: the terms as data, each registry person's decision, outside exclusion
lists, and the disbursement batches and payments.

A round's terms are rows (the data migration defines 2020, 2021, 2022 and 2025 from their
Permenaker); the eligibility run writes one ``Decision`` per person with a membership valid on the
round's reference date, with every unmet condition. Payments go out in batches per channel; the
partial unique index ``bsu_one_live_payment`` makes a second live payment of the same instalment to
the same person impossible, whatever batch or channel tries.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from paritrana.core.models import DistributedByColumn
from paritrana.regions.models import Region
from paritrana.registry.models import Membership, Person


class Channel(models.TextChoices):
    # The state banks (Himbara), Bank Syariah Indonesia for Aceh, and the post office (PT Pos).
    BRI = "BRI", "BRI"
    BNI = "BNI", "BNI"
    MANDIRI = "MANDIRI", "Bank Mandiri"
    BTN = "BTN", "BTN"
    BSI = "BSI", "Bank Syariah Indonesia"
    POS = "POS", "PT Pos Indonesia"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Konsep"
    COMPUTED = "computed", "Sudah dihitung"
    APPROVED = "approved", "Disetujui"


class Round(models.Model):
    code = models.CharField("kode", max_length=24, unique=True)
    name = models.CharField("nama", max_length=200)
    legal_basis = models.CharField("dasar hukum", max_length=200)
    source = models.CharField("sumber", max_length=300, blank=True, default="")
    note = models.TextField("catatan", blank=True, default="")
    monthly_amount = models.DecimalField("besaran per bulan", max_digits=15, decimal_places=0)
    months = models.PositiveSmallIntegerField("jumlah bulan")
    instalments = models.PositiveSmallIntegerField("tahap pembayaran", default=1)
    active_on = models.DateField("tanggal acuan kepesertaan aktif")
    wage_ceiling = models.DecimalField("batas upah", max_digits=15, decimal_places=0)
    ceiling_inclusive = models.BooleanField("batas upah termasuk (paling banyak)", default=True)
    minimum_wage_year = models.PositiveSmallIntegerField("tahun UMP/UMK yang dibulatkan ke atas", null=True, blank=True)
    segments = ArrayField(models.CharField(max_length=5), default=list)
    provinces_excluded = ArrayField(models.CharField(max_length=2), default=list, blank=True)
    regions_included = ArrayField(models.CharField(max_length=13), default=list, blank=True)
    sectors = ArrayField(models.CharField(max_length=1), default=list, blank=True)
    employer_kinds_excluded = ArrayField(models.CharField(max_length=24), default=list, blank=True)
    exclusion_kinds = ArrayField(models.CharField(max_length=16), default=list, blank=True)
    channels = ArrayField(models.CharField(max_length=8, choices=Channel.choices), default=list)
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    computed_at = models.DateTimeField(null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    counts = models.JSONField(default=dict, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "subsidies_round"
        constraints = [
            models.CheckConstraint(condition=models.Q(monthly_amount__gt=0), name="bsu_amount_positive"),
            models.CheckConstraint(condition=models.Q(months__gt=0, instalments__gt=0), name="bsu_months_positive"),
        ]

    def __str__(self) -> str:
        return self.code


class MinimumWage(models.Model):
    """A province's UMP or a regency/city's UMK for a year, which a round's wage ceiling may use."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_column="region_code")
    year = models.PositiveSmallIntegerField("tahun")
    amount = models.DecimalField("upah minimum", max_digits=15, decimal_places=0)
    legal_basis = models.CharField("dasar hukum", max_length=200)
    source = models.CharField("sumber", max_length=300, blank=True, default="")

    class Meta:
        db_table = "subsidies_minimum_wage"
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="minimum_wage_once_a_year")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.amount}"


class ListKind(models.TextChoices):
    ASN = "asn", "ASN (PNS/PPPK)"
    TNI = "tni", "TNI"
    POLRI = "polri", "Polri"
    PKH = "pkh", "Penerima PKH"
    PRAKERJA = "prakerja", "Penerima Kartu Prakerja"
    BPUM = "bpum", "Penerima BPUM"
    OTHER = "other", "Daftar lain"


class ExclusionList(models.Model):
    """An outside list of people a round excludes (civil servants, army, police, other programmes)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="exclusion_lists")
    kind = models.CharField(max_length=16, choices=ListKind.choices)
    name = models.CharField("nama berkas", max_length=200)
    origin = models.CharField("asal daftar", max_length=200, blank=True, default="")
    rows = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    in_registry = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "subsidies_exclusion_list"

    def __str__(self) -> str:
        return f"{self.round_id} {self.kind} {self.name}"


class ExclusionEntry(models.Model):
    list = models.ForeignKey(ExclusionList, on_delete=models.CASCADE, related_name="entries")
    nik = models.CharField(max_length=16)

    class Meta:
        db_table = "subsidies_exclusion_entry"
        constraints = [models.UniqueConstraint(fields=["list", "nik"], name="exclusion_nik_once")]
        indexes = [models.Index(fields=["nik"], name="exclusion_nik")]

    def __str__(self) -> str:
        return self.nik


class Decision(DistributedByColumn):
    """One person's answer in one round: eligible, or every condition they fail (``rules/rounds.py``)."""

    distribution_column = "person_id"  # on a Citus cluster (core.models.DistributedByColumn)

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="decisions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    regency = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_column="regency_code",
        db_constraint=False,
    )
    wage = models.DecimalField(max_digits=15, decimal_places=2, null=True)
    ceiling = models.DecimalField(max_digits=15, decimal_places=0, null=True)
    eligible = models.BooleanField()
    reasons = ArrayField(models.CharField(max_length=24), default=list)

    class Meta:
        db_table = "subsidies_decision"
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="decision_once_per_round"),
            models.CheckConstraint(
                condition=models.Q(eligible=True, reasons=[]) | models.Q(eligible=False), name="eligible_has_no_reason"
            ),
        ]
        indexes = [models.Index(fields=["round", "eligible", "regency"], name="decision_round_regency")]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.person_id} {'ya' if self.eligible else ','.join(self.reasons)}"


class BatchStatus(models.TextChoices):
    EXPORTED = "exported", "Dikirim ke penyalur"
    RECONCILED = "reconciled", "Hasil diterima"


class Batch(models.Model):
    """A file of payments sent to one channel."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="batches")
    number = models.PositiveIntegerField("nomor")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    instalment = models.PositiveSmallIntegerField("tahap", default=1)
    status = models.CharField(max_length=10, choices=BatchStatus.choices, default=BatchStatus.EXPORTED)
    payments = models.PositiveIntegerField("jumlah pembayaran", default=0)
    amount = models.DecimalField("jumlah dana", max_digits=18, decimal_places=0, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "subsidies_batch"
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="batch_number_per_round")]

    def __str__(self) -> str:
        return f"{self.round.code}-{self.number:04d}"


class PaymentStatus(models.TextChoices):
    SENT = "sent", "Dikirim"
    PAID = "paid", "Tersalurkan"
    FAILED = "failed", "Gagal"
    ACCOUNT_INVALID = "account_invalid", "Rekening tidak valid"


LIVE_PAYMENT = ("sent", "paid")


class Payment(models.Model):
    """One instalment to one person through one channel. A failed one stays as it was; the person is
    paid again in a later batch with a new payment."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="payments")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="lines")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    instalment = models.PositiveSmallIntegerField(default=1)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    regency = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_column="regency_code",
        db_constraint=False,
    )
    amount = models.DecimalField(max_digits=15, decimal_places=0)
    reference = models.CharField("referensi", max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.SENT)
    result_on = models.DateField("tanggal hasil", null=True, blank=True)

    class Meta:
        db_table = "subsidies_payment"
        constraints = [
            # Paid once: at most one payment of an instalment that is on its way or paid.
            models.UniqueConstraint(
                fields=["round", "person", "instalment"],
                condition=models.Q(status__in=LIVE_PAYMENT),
                name="bsu_one_live_payment",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="bsu_payment_positive"),
        ]
        indexes = [models.Index(fields=["batch", "status"], name="payment_batch_status")]

    def __str__(self) -> str:
        return self.reference
