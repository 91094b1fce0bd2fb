"""Bills, their lines, payments and allocations. The rates they are computed with are the dated law's
rows (paritrana/law)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce

from paritrana.core.models import DistributedByColumn


def _exactly_one_payer(name: str) -> models.CheckConstraint:
    """A bill or payment belongs to an employer, a sponsor or a self-paying participant: one of them."""
    return models.CheckConstraint(
        condition=models.Q(employer__isnull=False, sponsor__isnull=True, person__isnull=True)
        | models.Q(employer__isnull=True, sponsor__isnull=False, person__isnull=True)
        | models.Q(employer__isnull=True, sponsor__isnull=True, person__isnull=False),
        name=name,
    )


def payer_key(*, employer_id: int | None, sponsor_id: int | None, person_id: int | None) -> int:
    """One bigint naming a bill's or payment's payer, as billing.sql computes it: on a Citus cluster
    bills and payments are distributed by it, so a payer's bills and payments lie on one shard and
    allocating a payment locks rows of one node (docs/scale.md). Exactly one of the three is set."""
    if sponsor_id is not None:
        return sponsor_id * 3 + 1
    if employer_id is not None:
        return employer_id * 3 + 2
    assert person_id is not None
    return person_id * 3


def _payer_key_matches(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(payer_key=Coalesce(F("sponsor_id") * 3 + 1, F("employer_id") * 3 + 2, F("person_id") * 3)),
        name=name,
    )


class PayerKeyed(DistributedByColumn):
    """A row of one payer that carries its ``payer_key``, set on save from the payer's column."""

    distribution_column = "payer_key"  # on a Citus cluster (core.models.DistributedByColumn)

    payer_key = models.BigIntegerField(editable=False)
    employer_id: int | None
    sponsor_id: int | None
    person_id: int | None

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.payer_key = payer_key(employer_id=self.employer_id, sponsor_id=self.sponsor_id, person_id=self.person_id)
        super().save(*args, **kwargs)


class BillStatus(models.TextChoices):
    OPEN = "open", "Belum dibayar"
    PARTIAL = "partial", "Dibayar sebagian"
    PAID = "paid", "Lunas"


class Bill(PayerKeyed):
    """One payer's contributions for one month: an employer, a sponsor, or a self-paying participant.

    Exactly one payer column is set. Amounts are sums of the bill's lines (billing.py keeps them so).
    """

    # Bills are partitioned by month (migration 0006): the database's primary key is (id, period) and
    # lines and allocations point at a bill by both; ids come from one sequence, so ``pk`` stays unique.
    # Lookups by employer use bill_one_per_payer_month (it leads with the employer).
    employer = models.ForeignKey(
        "registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="bills", db_index=False
    )
    sponsor = models.ForeignKey(
        "registry.Sponsor", null=True, blank=True, on_delete=models.PROTECT, related_name="bills", db_index=False
    )
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="bills", db_index=False
    )
    period = models.DateField("periode")  # first day of the contribution month
    due_date = models.DateField("jatuh tempo", null=True, blank=True)
    # The payer's region (a regency, or a province for a provincial APBD): bills are scoped like the payer.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", db_column="region_code", db_index=False
    )
    lines = models.PositiveIntegerField("jumlah peserta", default=0)
    employer_amount = models.DecimalField("bagian pemberi kerja", max_digits=18, decimal_places=0, default=0)
    worker_amount = models.DecimalField("bagian pekerja", max_digits=18, decimal_places=0, default=0)
    government_amount = models.DecimalField("bagian pemerintah", max_digits=18, decimal_places=0, default=0)
    deferred_amount = models.DecimalField("ditunda", max_digits=18, decimal_places=0, default=0)
    amount_due = models.DecimalField("tagihan", max_digits=18, decimal_places=0, default=0)
    paid_amount = models.DecimalField("dibayar", max_digits=18, decimal_places=0, default=0)
    status = models.CharField(max_length=8, choices=BillStatus.choices, default=BillStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tagihan iuran"
        verbose_name_plural = "tagihan iuran"
        indexes = [
            models.Index(fields=["region", "period"], name="bill_region_period"),
            models.Index(fields=["period", "status"], name="bill_period_status"),
            models.Index(fields=["person"], condition=models.Q(person__isnull=False), name="bill_person"),
            models.Index(fields=["sponsor"], condition=models.Q(sponsor__isnull=False), name="bill_sponsor"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "sponsor", "person", "period"],
                nulls_distinct=False,
                name="bill_one_per_payer_month",
            ),
            _exactly_one_payer("bill_exactly_one_payer"),
            _payer_key_matches("bill_payer_key"),
            models.CheckConstraint(condition=models.Q(paid_amount__gte=0), name="bill_paid_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Tagihan {self.period:%Y-%m} #{self.pk}"

    @property
    def outstanding(self) -> object:
        return max(self.amount_due - self.paid_amount, 0)


class ContributionLine(DistributedByColumn):
    """One membership's contributions for one month, every programme on one row.

    One row per membership and month rather than one per programme: a national month is 40 million
    rows this way instead of 200 million, and billing writes them set-based in seconds. Pages and the
    API show it as one line per programme (selectors.line_programmes).

    The table is partitioned by month (migration 0005, batch/partitions.py): billing fills a new
    month's partition as a plain table and attaches it, so indexes and foreign keys are built and
    checked once per month instead of once per row (docs/decisions/0002-contributions.md).
    """

    distribution_column = "person_id"  # on a Citus cluster (core.models.DistributedByColumn)

    pk = models.CompositePrimaryKey("membership_id", "period")
    # The primary key (membership, period) serves lookups by membership; line_bill serves bills.
    membership = models.ForeignKey(
        "registry.Membership", on_delete=models.PROTECT, related_name="contribution_lines", db_index=False
    )
    period = models.DateField("periode")
    # The membership's person, carried on the line (migration 0008) so that on a Citus cluster a
    # person's lines live on the shard of the person and their memberships (docs/scale.md): billing
    # and the coverage rollup then join on each worker. It never changes (a membership keeps its
    # person); no constraint of its own, the membership's key already binds it.
    person = models.ForeignKey(
        "registry.Person", on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    # The database's key is (bill_id, period) → bill (id, period) (migration 0006), which Django cannot
    # spell; the ORM follows bill_id alone, which is unique.
    bill = models.ForeignKey(
        Bill, on_delete=models.CASCADE, related_name="contribution_lines", db_index=False, db_constraint=False
    )
    segment = models.CharField(max_length=5)
    base = models.DecimalField("dasar (upah/penghasilan)", max_digits=18, decimal_places=2, null=True)
    jkk_employer = models.DecimalField(max_digits=15, decimal_places=0, default=0)
    jkk_worker = models.DecimalField(max_digits=15, decimal_places=0, default=0)
    jkm_employer = models.DecimalField(max_digits=15, decimal_places=0, default=0)
    jkm_worker = models.DecimalField(max_digits=15, decimal_places=0, default=0)
    jht_employer = models.DecimalField(max_digits=15, decimal_places=0, default=0)
    jht_worker = models.DecimalField(max_digits=15, decimal_places=0, default=0)
    jp_base = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    jp_employer = models.DecimalField(max_digits=15, decimal_places=0, default=0)
    jp_worker = models.DecimalField(max_digits=15, decimal_places=0, default=0)
    jp_deferred = models.DecimalField(max_digits=15, decimal_places=0, default=0)
    jkp_government = models.DecimalField(max_digits=15, decimal_places=0, default=0)
    jkp_recomposed = models.DecimalField(max_digits=15, decimal_places=0, default=0)
    package_worker = models.DecimalField("paket PMI", max_digits=15, decimal_places=0, default=0)
    employer_total = models.DecimalField(max_digits=15, decimal_places=0, default=0)
    worker_total = models.DecimalField(max_digits=15, decimal_places=0, default=0)

    class Meta:
        verbose_name = "rincian iuran"
        verbose_name_plural = "rincian iuran"
        indexes = [models.Index(fields=["bill"], name="line_bill")]

    def __str__(self) -> str:
        return f"Iuran {self.period:%Y-%m} kepesertaan #{self.membership_id}"


class PaymentChannel(models.TextChoices):
    PAGE = "page", "Halaman"
    API = "api", "API"
    BANK = "bank", "Rekening koran bank"


class Payment(PayerKeyed):
    """Money received from a payer; allocated to the oldest open bills first (allocations)."""

    employer = models.ForeignKey(
        "registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    sponsor = models.ForeignKey(
        "registry.Sponsor", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField("tanggal bayar")
    amount = models.DecimalField("jumlah", max_digits=18, decimal_places=0)
    # The bank's or the payer's reference: the same reference twice is the same payment (re-imports).
    reference = models.CharField("referensi", max_length=64, unique=True)
    channel = models.CharField(max_length=8, choices=PaymentChannel.choices)
    credit = models.DecimalField("sisa kredit", max_digits=18, decimal_places=0, default=0)
    recorded_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pembayaran"
        verbose_name_plural = "pembayaran"
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
            _exactly_one_payer("payment_exactly_one_payer"),
            _payer_key_matches("payment_payer_key"),
        ]

    def __str__(self) -> str:
        return f"Pembayaran {self.reference}"


class Allocation(DistributedByColumn):
    distribution_column = "bill_id"  # on a Citus cluster (core.models.DistributedByColumn)

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="allocations")
    # As for lines: the database's foreign key is (bill_id, bill_period) → bill (id, period), migration 0006.
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="allocations", db_constraint=False)
    bill_period = models.DateField()
    amount = models.DecimalField(max_digits=18, decimal_places=0)
    # Late fee charged on this amount (2 % a month late, PP 44/2015; 0.5 % under PP 49/2020); the
    # employer pays it with a later contribution (regulation.md §1.7), so it is recorded, not deducted.
    late_fee = models.DecimalField(max_digits=18, decimal_places=0, default=0)
    months_late = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_amount_positive")]

    def __str__(self) -> str:
        return f"{self.amount} → tagihan #{self.bill_id}"
