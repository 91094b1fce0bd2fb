"""Claims, heirs, benefit payments, scholarships and the JHT ledger.

Tables and constraints only; the workflow lives in ``services.py`` and the law in ``rules/``. A claim
belongs to one membership: a person with two memberships covering the same death files two claims
and is paid twice (regulation.md §2.1, jatengpos Klaten 2024). Each claim keeps the facts it was
decided on and the calculator's answer as JSON, so a decision letter can be re-printed as decided.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .rules.claim_input import BENEFITS, LEVELS
from .rules.claims import RELATIONSHIPS, STATES
from .rules.pension import KINDS as PENSION_KINDS


class Heir(models.Model):
    """A family member of a participant who may receive a death benefit or a scholarship."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="heirs")
    name = models.CharField("nama", max_length=150)
    nik = models.CharField("NIK", max_length=16, blank=True, default="")
    relationship = models.CharField("hubungan", max_length=16, choices=[(k, v[0]) for k, v in RELATIONSHIPS.items()])
    birth_date = models.DateField("tanggal lahir", null=True, blank=True)
    education_level = models.CharField(
        "jenjang pendidikan", max_length=3, blank=True, default="", choices=[(lv, lv) for lv in LEVELS]
    )
    married = models.BooleanField("sudah menikah", default=False)
    employed = models.BooleanField("sudah bekerja", default=False)
    bank_name = models.CharField("bank", max_length=60, blank=True, default="")
    account_number = models.CharField("nomor rekening", max_length=30, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ahli waris"
        verbose_name_plural = "ahli waris"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nik="") | models.Q(nik__regex=r"^[0-9]{16}$"), name="heir_nik_16_digits"
            ),
            models.UniqueConstraint(
                fields=["person", "nik"], condition=~models.Q(nik=""), name="heir_one_per_nik_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"


class Claim(models.Model):
    benefit = models.CharField("jenis klaim", max_length=24, choices=[(b, b) for b in BENEFITS])
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="claims")
    # Null only for a claim refused because the person had no membership at all.
    membership = models.ForeignKey(
        "registry.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    event_date = models.DateField("tanggal peristiwa")
    state = models.CharField("status", max_length=10, choices=[(s, s) for s in STATES], default="submitted")
    # Where the claim is served: the membership's regency, or the person's when there is none.
    regency = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", db_column="regency_code", db_index=False
    )
    facts = models.JSONField("fakta", default=dict)  # the calculator's input, derived from the registry
    result = models.JSONField("hasil", default=dict)  # the calculator's answer when decided
    amount = models.DecimalField("jumlah manfaat", max_digits=15, decimal_places=0, default=0)
    penalty = models.DecimalField("denda keterlambatan", max_digits=15, decimal_places=0, default=0)
    rejection_code = models.CharField("kode penolakan", max_length=32, blank=True, default="")
    rejection_note = models.CharField("alasan penolakan", max_length=500, blank=True, default="")
    # A yearly scholarship claim continues the scholarship of one child (heir) for one school year.
    scholarship = models.ForeignKey(
        "Scholarship", null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    school_year = models.PositiveSmallIntegerField("tahun", null=True, blank=True)
    education_level = models.CharField("jenjang", max_length=3, blank=True, default="")
    submitted_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    due_by = models.DateField("batas layanan", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "klaim"
        verbose_name_plural = "klaim"
        indexes = [
            models.Index(fields=["regency", "state"], name="claim_regency_state"),
            models.Index(fields=["person"], name="claim_person"),
        ]
        constraints = [
            # One claim per membership, benefit and event; a yearly scholarship once per child and year.
            models.UniqueConstraint(
                fields=["membership", "benefit", "event_date"],
                condition=~models.Q(benefit="SCHOLARSHIP") & ~models.Q(state="rejected"),
                name="claim_one_per_membership_event",
            ),
            models.UniqueConstraint(
                fields=["scholarship", "school_year"],
                condition=models.Q(benefit="SCHOLARSHIP") & ~models.Q(state="rejected"),
                name="claim_one_scholarship_per_year",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="rejected") | ~models.Q(rejection_code=""), name="claim_rejection_has_code"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="claim_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Klaim {self.benefit} #{self.pk}"


class ClaimDocument(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    code = models.CharField(max_length=32)
    label = models.CharField(max_length=120)
    received = models.BooleanField("diterima", default=False)
    received_at = models.DateTimeField(null=True, blank=True)
    # The document as a file (issue 27 §5), uploaded by the participant or the officer; "received"
    # is still the officer's check that it is the right one.
    file = models.ForeignKey(
        "core.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["claim", "code"], name="claim_document_once")]
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label


class BenefitPayment(models.Model):
    """Money paid on a claim to one payee. The reference is unique: paying twice is refused."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="payments")
    heir = models.ForeignKey(Heir, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    payee_name = models.CharField("penerima", max_length=150)
    bank_name = models.CharField("bank", max_length=60)
    account_number = models.CharField("nomor rekening", max_length=30)
    amount = models.DecimalField("jumlah", max_digits=15, decimal_places=0)
    penalty = models.DecimalField("denda keterlambatan", max_digits=15, decimal_places=0, default=0)
    paid_on = models.DateField("tanggal bayar")
    reference = models.CharField("referensi", max_length=64, unique=True)
    components = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pembayaran manfaat"
        verbose_name_plural = "pembayaran manfaat"
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="benefit_payment_positive")]

    def __str__(self) -> str:
        return f"{self.payee_name} {self.amount}"


class Scholarship(models.Model):
    """One child's scholarship following a death or total-disability claim, claimed every year."""

    origin = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="scholarships")
    child = models.ForeignKey(Heir, on_delete=models.PROTECT, related_name="scholarships")
    cause = models.CharField(max_length=3)  # JKM or JKK: JKM needs 36 months' membership
    ended_on = models.DateField(null=True, blank=True)
    ended_reason = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["origin", "child"], name="scholarship_once_per_child")]

    def __str__(self) -> str:
        return f"Beasiswa {self.child.name}"


class JhtEntry(models.Model):
    """One movement on a participant's JHT account: a paid month's contribution, a year's return, a
    withdrawal. The balance on a date is the sum of entries up to it (PP 46/2015 Pasal 22–26)."""

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", "Iuran"
        RETURN = "return", "Hasil pengembangan"
        WITHDRAWAL = "withdrawal", "Pencairan"

    membership = models.ForeignKey(
        "registry.Membership", on_delete=models.PROTECT, related_name="jht_entries", db_index=False
    )
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="jht_entries", db_index=False)
    entry_date = models.DateField("tanggal")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount = models.DecimalField("jumlah", max_digits=15, decimal_places=0)
    # A contribution entry's month; a return's programme year; a withdrawal's claim.
    period = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="jht_entries")
    note = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        verbose_name = "mutasi JHT"
        verbose_name_plural = "mutasi JHT"
        indexes = [models.Index(fields=["person", "entry_date"], name="jht_person_date")]
        constraints = [
            # Crediting a month or a year twice is impossible: the batch jobs rely on these.
            models.UniqueConstraint(
                fields=["membership", "period"], condition=models.Q(kind="contribution"), name="jht_month_once"
            ),
            models.UniqueConstraint(
                fields=["membership", "year"], condition=models.Q(kind="return"), name="jht_return_once"
            ),
            models.UniqueConstraint(
                fields=["membership", "claim"], condition=models.Q(kind="withdrawal"), name="jht_withdrawal_once"
            ),
        ]

    def __str__(self) -> str:
        return f"JHT {self.kind} {self.amount}"


class ProofOfLife(models.Model):
    """A pension beneficiary's proof of life and status (issue 31 §2), given as a file (issue 27 §5):
    a photo of the beneficiary with their identity card, or a signed statement from the village. The
    beneficiary sends it from their own page, or a branch officer records it; the branch accepts or
    refuses it. Suspending a pension when the proof lapses is the payroll's (issue 31 §1)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "Menunggu pemeriksaan"
        ACCEPTED = "accepted", "Diterima"
        REFUSED = "refused", "Ditolak"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="proofs_of_life")
    given_on = models.DateField("tanggal bukti")
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+", db_index=False)
    state = models.CharField("status", max_length=10, choices=State.choices, default=State.SUBMITTED)
    note = models.CharField("catatan", max_length=300, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "bukti hidup"
        verbose_name_plural = "bukti hidup"
        indexes = [models.Index(fields=["state", "claim"], name="proof_of_life_state_claim")]
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.given_on}"


class Pension(models.Model):
    """A periodic benefit in payment to one beneficiary (issue 31): the participant's old-age or
    disability pension, or a survivor's (widow(er), child, parent). Created when its claim is paid;
    the monthly payroll (batch/payroll.sql) pays it from then on. The law is in rules/pension.py."""

    class State(models.TextChoices):
        IN_PAYMENT = "in_payment", "Dibayarkan"
        ENDED = "ended", "Berakhir"

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="pension")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="pensions")
    kind = models.CharField("jenis", max_length=12, choices=list(PENSION_KINDS.items()))
    heir = models.ForeignKey(Heir, null=True, blank=True, on_delete=models.PROTECT, related_name="pensions")
    beneficiary_name = models.CharField("penerima", max_length=150)
    birth_date = models.DateField("tanggal lahir penerima", null=True, blank=True)
    bank_name = models.CharField("bank", max_length=60, blank=True, default="")
    account_number = models.CharField("nomor rekening", max_length=30, blank=True, default="")
    base_amount = models.DecimalField("manfaat tahun pertama", max_digits=15, decimal_places=0)
    # Where its payments stand (the first month, the last paid, the last proof of life, the amount in
    # force) is in PensionSchedule, the narrow row the payroll advances every month.
    state = models.CharField("status", max_length=12, choices=State.choices, default=State.IN_PAYMENT)
    ended_on = models.DateField("berakhir pada", null=True, blank=True)
    ended_reason = models.CharField("alasan berakhir", max_length=200, blank=True, default="")
    regency = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", db_column="regency_code", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pensiun"
        verbose_name_plural = "pensiun"
        indexes = [
            models.Index(fields=["regency", "state"], name="pension_regency_state"),
            # The few pensions the payroll must not pay every month: those with an end recorded, and the
            # children (whose pension ends at 23). It reads this index, not the table, to pass them over.
            models.Index(
                fields=["id"],
                include=["kind", "birth_date", "ended_on"],
                condition=models.Q(ended_on__isnull=False) | models.Q(kind="child"),
                name="pension_may_end",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(base_amount__gt=0), name="pension_amount_positive"),
            models.CheckConstraint(
                condition=~models.Q(state="ended") | models.Q(ended_on__isnull=False), name="pension_end_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.beneficiary_name}"


class PensionSchedule(models.Model):
    """Where one pension's payments stand: what the monthly payroll reads for every pension and
    advances every month. Apart from the pension's row so that the month's update of 3,000,000 of them
    rewrites 60-byte rows, not the whole record (issue 31's bench: the update took 12 s of the payroll
    on the wide rows, 3 s on these). Kept at fillfactor 50 (migration 0013): every month's new version
    of a row finds room on its page and the update stays HOT."""

    pension = models.OneToOneField(Pension, on_delete=models.CASCADE, primary_key=True, related_name="schedule")
    first_period = models.DateField("bulan pertama")
    # The last month with a live payment: the payroll pays the months after it.
    paid_through = models.DateField("dibayar sampai bulan", null=True, blank=True)
    # The last accepted proof of life (or the award), and the latest step of the amount (PensionStep
    # holds them all).
    confirmed_on = models.DateField("status terakhir dikonfirmasi")
    step_start = models.DateField("manfaat saat ini sejak")
    step_amount = models.DecimalField("manfaat saat ini", max_digits=15, decimal_places=0)

    class Meta:
        verbose_name = "jadwal pensiun"
        verbose_name_plural = "jadwal pensiun"

    def __str__(self) -> str:
        return f"{self.pension_id} s.d. {self.paid_through or '-'}"


class PensionStep(models.Model):
    """The pension's amount from one anniversary on (PP 45/2015 Pasal 17(1)): written by the payroll
    when the anniversary comes, so a pension's history of amounts is kept as it was paid."""

    # No index of its own: the unique (pension, start) below leads with the pension (one index less
    # for the payroll's index step to write into).
    pension = models.ForeignKey(Pension, on_delete=models.CASCADE, related_name="steps", db_index=False)
    start = models.DateField("mulai bulan")
    amount = models.DecimalField("manfaat per bulan", max_digits=15, decimal_places=0)
    rate = models.DecimalField("indeksasi (%)", max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pension", "start"], name="pension_step_once")]
        ordering = ["pension", "start"]

    def __str__(self) -> str:
        return f"{self.pension_id} {self.start:%Y-%m} {self.amount}"


class PensionBatch(models.Model):
    """A file of pension payments for one bank (issue 31 §1): the payments the payroll issued to the
    beneficiaries who bank there, sent by the national administrator; the bank's answer marks each
    paid or failed (pensions.pension_results_import), and a failed one is issued again by the next
    payroll into a later batch."""

    class Status(models.TextChoices):
        EXPORTED = "exported", "Dikirim ke bank"
        RECONCILED = "reconciled", "Hasil diterima"

    period = models.DateField("payroll bulan")
    number = models.PositiveIntegerField("nomor")
    bank = models.CharField("bank", max_length=60)
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.EXPORTED)
    payments = models.PositiveIntegerField("jumlah pembayaran", default=0)
    amount = models.DecimalField("jumlah dana", max_digits=18, decimal_places=0, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "batch pembayaran pensiun"
        verbose_name_plural = "batch pembayaran pensiun"
        constraints = [models.UniqueConstraint(fields=["period", "number"], name="pension_batch_number_per_month")]

    def __str__(self) -> str:
        return f"JP-{self.period:%Y%m}-{self.number:04d}"


class PensionPayment(models.Model):
    """One month of one pension. Issued by the payroll, paid or failed by the bank's answer; a failed
    payment is issued again as a new row; one issued for a month after the pension ended is cancelled.
    Never two live (issued or paid) payments of one month."""

    class State(models.TextChoices):
        ISSUED = "issued", "Diterbitkan"
        PAID = "paid", "Dibayar"
        FAILED = "failed", "Gagal"
        CANCELLED = "cancelled", "Dibatalkan"  # issued for a month after the pension ended

    pension = models.ForeignKey(Pension, on_delete=models.PROTECT, related_name="payments", db_index=False)
    period = models.DateField("bulan")
    amount = models.DecimalField("jumlah", max_digits=15, decimal_places=0)
    arrears = models.BooleanField("rapelan", default=False)  # a month paid later than its own payroll
    state = models.CharField("status", max_length=10, choices=State.choices, default=State.ISSUED)
    issued_in = models.DateField("payroll bulan")
    reference = models.CharField("referensi", max_length=64, blank=True, default="")
    batch = models.ForeignKey(
        PensionBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    result_on = models.DateField("tanggal hasil bank", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pembayaran pensiun"
        verbose_name_plural = "pembayaran pensiun"
        indexes = [
            models.Index(fields=["issued_in", "state"], name="pension_payment_run"),
            # The bank's answer finds its payment by reference; a batch's file lists its payments.
            models.Index(fields=["reference"], name="pension_payment_reference", condition=~models.Q(reference="")),
            models.Index(fields=["batch"], name="pension_payment_batch", condition=models.Q(batch__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["pension", "period"],
                condition=~models.Q(state__in=["failed", "cancelled"]),
                name="pension_month_live_once",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="pension_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.pension_id} {self.period:%Y-%m} {self.state}"
