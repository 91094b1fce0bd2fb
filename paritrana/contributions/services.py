"""Contribution workflows: the calculator (one service behind CLI, API and page) and payments.

Payments are allocated to the payer's oldest open bill first; what is left stays on the payment as a
credit and pays the next bills as they are issued. The same reference twice is the same payment, so
re-importing a bank statement changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from paritrana.accounts.scope import scope_for
from paritrana.core.actors import acting_user
from paritrana.core.audit import audit_record
from paritrana.core.errors import NotFound, PermissionDenied, Problem, ValidationFailed
from paritrana.core.money import parse_rupiah, to_rupiah
from paritrana.core.periods import month_end, parse_date
from paritrana.core.sheets import cell_text, open_sheet
from paritrana.core.uploads import too_large
from paritrana.law import selectors as law
from paritrana.registry import services as registry_services
from paritrana.registry.models import Employer, Membership, Sponsor

from . import selectors
from .models import Allocation, Bill, BillStatus, Payment, PaymentChannel, payer_key
from .rules.contribution import calculate, parse_input
from .rules.payment_code import bill_of
from .rules.standing import months_late
from .signals import bills_paid


def contribution_calculate(payload: dict[str, Any]) -> dict[str, Any]:
    """The calculator's JSON answer for ``payload``; every input problem at once as ValidationFailed."""
    data, problems = parse_input(payload)
    if problems or data is None:
        raise ValidationFailed(problems)
    params = law.parameters_on(data.as_of)
    answer = calculate(data, params, law.public_holidays()).as_dict()
    if answer.get("due_date"):
        # The due date moves over weekends and holidays: say which calendar it used (issue 31 §3).
        answer["legal_basis"].append(law.calendar_basis(date.fromisoformat(answer["due_date"])))
    return answer


# -- payers ----------------------------------------------------------------------------------------


PAYER_KINDS = ("employer", "sponsor", "person")


@dataclass(frozen=True)
class Payer:
    kind: str  # employer | sponsor | person
    id: int

    @property
    def key(self) -> int:
        return payer_key(**{f"{kind}_id": self.id if kind == self.kind else None for kind in PAYER_KINDS})

    @property
    def filter(self) -> dict[str, int]:
        # The payer's column serves its index on one server; the key routes the query to the payer's
        # shard on a Citus cluster (a locking read must name one shard there).
        return {f"{self.kind}_id": self.id, "payer_key": self.key}


def payer_from_code(code: str) -> Payer | None:
    """A bank statement names the payer by a bill's payment code (rules/payment_code.py), NPP
    (employer), sponsor code, or KPJ (a self-paying participant)."""
    code = code.strip()
    bill_id = bill_of(code)
    if bill_id is not None:
        payers = Bill.objects.filter(pk=bill_id).values_list("employer_id", "sponsor_id", "person_id").first()
        if payers is None:
            return None
        kinds = [(kind, payer) for kind, payer in zip(("employer", "sponsor", "person"), payers, strict=True) if payer]
        return Payer(*kinds[0]) if kinds else None
    if re.fullmatch(r"\d{8}", code):
        employer = Employer.objects.filter(npp=code).values_list("pk", flat=True).first()
        return Payer("employer", employer) if employer else None
    if re.fullmatch(r"\d{11}", code):
        person = Membership.objects.filter(kpj=code).values_list("person_id", flat=True).first()
        return Payer("person", person) if person else None
    sponsor = Sponsor.objects.filter(code=code).values_list("pk", flat=True).first()
    return Payer("sponsor", sponsor) if sponsor else None


def _require_payment_recorder(actor: Any) -> None:
    if not scope_for(actor).records_payments:
        raise PermissionDenied(
            "Pembayaran dicatat dari rekening koran bank atau oleh petugas BPJS Ketenagakerjaan; "
            "pembayar tidak dapat menandai tagihannya sendiri lunas."
        )


def _require_payer_in_scope(actor: Any, payer: Payer) -> None:
    _require_payment_recorder(actor)
    if not selectors.payer_visible(user=actor, payer_kind=payer.kind, payer_id=payer.id):
        raise NotFound("Pembayar")


# -- payments --------------------------------------------------------------------------------------


def _known_payment(existing: Payment, *, value: Decimal, paid_on: date, payer: Payer) -> Payment:
    """A reference already recorded: the same payment again changes nothing; another payment under
    the same reference is refused."""
    payer_id = getattr(existing, f"{payer.kind}_id")
    same = existing.amount == value and existing.paid_on == paid_on and payer_id == payer.id
    if not same:
        raise ValidationFailed(
            [
                Problem(
                    "reference_conflict",
                    "Referensi ini sudah dipakai untuk pembayaran lain (pembayar, tanggal atau jumlah berbeda).",
                    "reference",
                )
            ]
        )
    return existing


def _payment_by_reference(reference: str) -> Payment | None:
    """The payment a reference names, locked. Found first, then locked by its payer's key: on a
    Citus cluster a locking read must name one shard (payments are distributed by payer_key)."""
    found = Payment.objects.filter(reference=reference).values_list("pk", "payer_key").first()
    if found is None:
        return None
    return Payment.objects.select_for_update().get(pk=found[0], payer_key=found[1])


def payment_record(
    *,
    actor: Any,
    payer: Payer,
    amount: Decimal | int | str,
    paid_on: date,
    reference: str,
    channel: str = PaymentChannel.PAGE,
) -> tuple[Payment, bool]:
    """Record a payment and allocate it. Returns (payment, created); a known reference changes nothing."""
    _require_payer_in_scope(actor, payer)
    problems: list[Problem] = []
    try:
        value = to_rupiah(Decimal(str(amount)))
    except (InvalidOperation, ValueError):
        value = Decimal(0)
        problems.append(Problem("amount_invalid", "Jumlah pembayaran harus berupa angka.", "amount"))
    else:
        if value <= 0:
            problems.append(Problem("amount_invalid", "Jumlah pembayaran harus lebih dari nol.", "amount"))
    reference = reference.strip()
    if not reference:
        problems.append(Problem("reference_required", "Referensi pembayaran wajib diisi.", "reference"))
    elif len(reference) > 64:
        problems.append(Problem("reference_invalid", "Referensi paling panjang 64 karakter.", "reference"))
    if paid_on > date.today():
        problems.append(Problem("paid_on_future", "Tanggal bayar tidak boleh di masa depan.", "paid_on"))
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        existing = _payment_by_reference(reference)
        if existing is not None:
            return _known_payment(existing, value=value, paid_on=paid_on, payer=payer), False
        try:
            # A savepoint: the same reference written meanwhile by another import of the same
            # statement (or a cashier) makes this insert wait for it, then fail on the unique key.
            # That is the same payment recorded once, not a server error (issue 29, defect 5).
            with transaction.atomic():
                payment = Payment.objects.create(
                    paid_on=paid_on,
                    amount=value,
                    reference=reference,
                    channel=channel,
                    credit=value,
                    recorded_by=acting_user(actor),
                    **payer.filter,
                )
        except IntegrityError:
            existing = _payment_by_reference(reference)
            if existing is None:
                raise
            return _known_payment(existing, value=value, paid_on=paid_on, payer=payer), False
        allocated = allocate(payer=payer)
        payment.refresh_from_db()
        audit_record(
            actor=actor,
            action="payment_record",
            entity="payment",
            entity_id=payment.pk,
            channel=channel,
            detail={"payer": f"{payer.kind}:{payer.id}", "amount": str(value), "allocations": allocated},
        )
    return payment, True


def allocate(*, payer: Payer) -> int:
    """Match the payer's credits (oldest payment first) to its open bills (oldest month first).

    Each allocation records how many months late it came and the late fee it carries (2 % a month of
    the late amount, simple [U]; 0.5 % for months under PP 49/2020), PP 44/2015 (regulation.md §1.7).
    """
    made = 0
    paid: list[int] = []
    with transaction.atomic():
        bills = list(
            Bill.objects.select_for_update()
            .filter(**payer.filter)
            .filter(paid_amount__lt=F("amount_due"))
            .order_by("period", "id")
        )
        payments = list(
            Payment.objects.select_for_update().filter(**payer.filter, credit__gt=0).order_by("paid_on", "id")
        )
        for payment in payments:
            for bill in bills:
                open_amount = bill.amount_due - bill.paid_amount
                if payment.credit <= 0:
                    break
                if open_amount <= 0:
                    continue
                amount = min(open_amount, payment.credit)
                late = months_late(due=bill.due_date, paid_on=payment.paid_on)
                fee = Decimal(0)
                if late:
                    params = law.parameters_on(month_end(bill.period))
                    rate = (
                        params.get("relief.pp49.late_fee_rate")
                        if params.has("relief.pp49.late_fee_rate")
                        else params.get("late_fee.rate")
                    )
                    fee = to_rupiah(amount * rate * late / 100)
                Allocation.objects.create(
                    payment=payment, bill=bill, bill_period=bill.period, amount=amount, months_late=late, late_fee=fee
                )
                bill.paid_amount += amount
                bill.status = BillStatus.PAID if bill.paid_amount >= bill.amount_due else BillStatus.PARTIAL
                bill.save(update_fields=["paid_amount", "status", "updated_at"])
                if bill.status == BillStatus.PAID:
                    paid.append(bill.pk)
                payment.credit -= amount
                made += 1
            payment.save(update_fields=["credit"])
        if paid:
            bills_paid.send(sender=Bill, bill_ids=paid)
    return made


def credits_apply() -> int:
    """After billing: payers holding credit pay their new bills. Few payers hold credit at a time."""
    payers = {
        Payer(kind, pid)
        for kind in ("employer", "sponsor", "person")
        for pid in Payment.objects.filter(credit__gt=0, **{f"{kind}__isnull": False})
        .values_list(f"{kind}_id", flat=True)
        .distinct()
    }
    return sum(
        allocate(payer=payer)
        for payer in payers
        if Bill.objects.filter(**payer.filter, paid_amount__lt=F("amount_due")).exists()
    )


# -- bank statements -------------------------------------------------------------------------------

STATEMENT_COLUMNS = ("tanggal", "referensi", "kode_pembayar", "jumlah")
# A day's statement of one collecting bank, with room to spare; each row is a payment recorded and
# allocated in its own transaction, so a larger file is split rather than left to hold a server
# thread for hours.
STATEMENT_MAX_BYTES = 5 * 1024 * 1024
STATEMENT_MAX_ROWS = 20_000


@dataclass
class StatementReport:
    rows: int = 0
    recorded: int = 0
    already_recorded: int = 0
    amount_recorded: Decimal = Decimal(0)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        by_code: dict[str, int] = {}
        for error in self.errors:
            by_code[error["code"]] = by_code.get(error["code"], 0) + 1
        return {
            "rows": self.rows,
            "recorded": self.recorded,
            "already_recorded": self.already_recorded,
            "invalid": len(self.errors),
            "amount_recorded": str(self.amount_recorded),
            "errors_by_code": by_code,
            "errors": self.errors,
        }


PAYER_UNKNOWN = "Kode pembayar (NPP, kode penanggung atau KPJ) tidak terdaftar atau di luar wilayah kewenangan Anda."


def _statement_amount(text: str) -> Decimal | None:
    cleaned = text.strip().replace("Rp", "").replace(" ", "")
    # Indonesian statements write 1.234.567,00; plain files write 1234567 or 1234567.00.
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif cleaned.count(".") > 1 or re.fullmatch(r"\d{1,3}(\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def payment_import_statement(
    *, actor: Any, content: bytes | str, channel: str = PaymentChannel.BANK
) -> StatementReport:
    """Record every good row of a bank-statement CSV (tanggal, referensi, kode_pembayar, jumlah).

    Bad rows are reported by line with a code and an Indonesian reason and do not stop the others;
    rows whose reference is already recorded are counted, not recorded again.
    """
    _require_payment_recorder(actor)
    if len(content) > STATEMENT_MAX_BYTES:
        raise too_large(STATEMENT_MAX_BYTES)
    # The one reader of uploaded tables (core/sheets.py): the bank's encoding, its delimiter, its quoting.
    sheet = open_sheet(content.encode() if isinstance(content, str) else content, "rekening-koran.csv")
    header = [h.strip().lower() for h in sheet.headers]
    missing = [c for c in STATEMENT_COLUMNS if c not in header]
    if missing:
        raise ValidationFailed([Problem("columns_missing", f"Kolom wajib tidak ada: {', '.join(missing)}.", "file")])
    report = StatementReport()
    for line_number, cells in sheet.rows:
        if report.rows >= STATEMENT_MAX_ROWS:
            raise ValidationFailed(
                [
                    Problem(
                        "file_too_many_rows",
                        f"Rekening koran paling banyak {STATEMENT_MAX_ROWS:,} baris; bagi berkasnya.".replace(",", "."),
                        "file",
                    )
                ]
            )
        raw = dict(zip(header, cells, strict=False))
        if line_number in sheet.problems:
            report.rows += 1
            problem = sheet.problems[line_number]
            report.errors.append({"line": line_number, "field": "", "code": problem.code, "message": problem.message})
            continue
        row = {k: cell_text(raw.get(k)) for k in STATEMENT_COLUMNS}
        report.rows += 1

        def bad(code: str, message: str, column: str, *, line: int = line_number) -> None:
            report.errors.append({"line": line, "field": column, "code": code, "message": message})

        paid_on = parse_date(row["tanggal"])
        amount = _statement_amount(row["jumlah"])
        payer = payer_from_code(row["kode_pembayar"]) if row["kode_pembayar"] else None
        row_ok = True
        if paid_on is None:
            bad("date_invalid", "Tanggal tidak dikenali (gunakan TTTT-BB-HH atau HH/BB/TTTT).", "tanggal")
            row_ok = False
        if amount is None or amount <= 0:
            bad("amount_invalid", "Jumlah harus angka lebih dari nol.", "jumlah")
            row_ok = False
        if not row["referensi"]:
            bad("reference_required", "Referensi wajib diisi.", "referensi")
            row_ok = False
        if payer is None:
            bad("payer_unknown", PAYER_UNKNOWN, "kode_pembayar")
            row_ok = False
        if not row_ok:
            continue
        assert paid_on is not None and amount is not None and payer is not None
        try:
            payment, created = payment_record(
                actor=actor, payer=payer, amount=amount, paid_on=paid_on, reference=row["referensi"], channel=channel
            )
        except ValidationFailed as exc:
            for problem in exc.problems:
                bad(problem.code, problem.message, problem.field or "")
            continue
        except (PermissionDenied, NotFound):
            # The same answer as a code that does not exist: a statement must not tell which NPP,
            # sponsor code or KPJ is registered outside the importer's scope.
            bad("payer_unknown", PAYER_UNKNOWN, "kode_pembayar")
            continue
        if created:
            report.recorded += 1
            report.amount_recorded += payment.amount
        else:
            report.already_recorded += 1
    audit_record(
        actor=actor,
        action="payment_import",
        entity="payment",
        channel=channel,
        detail={k: v for k, v in report.as_dict().items() if k != "errors"},
    )
    return report


# -- the monthly wage report (issue 27 §3) ---------------------------------------------------------


def wage_report(*, actor: Any, employer_id: int, month: date, wages: dict[str, Decimal], channel: str = "page") -> int:
    """The employer's wages reported from ``month`` on, by KPJ: only the rows whose wage differs
    from the latest reported one are recorded; each is billed from ``month`` (billing.sql reads the
    wage in force per month). Returns how many wages changed; every problem at once (registry's
    ``wage_changes_record``)."""
    if not scope_for(actor).can_write:
        raise PermissionDenied("Laporan upah disampaikan oleh pemberi kerja atau petugas BPJS Ketenagakerjaan.")
    rows = {row.membership.kpj: row for row in selectors.wage_report_rows(user=actor, employer_id=employer_id)}
    unknown = [kpj for kpj in wages if kpj not in rows]
    if unknown:
        said = f"KPJ bukan pekerja aktif Penerima Upah pemberi kerja ini: {', '.join(unknown[:20])}."
        raise ValidationFailed([Problem("kpj_unknown", said, "wages")])
    changed = {rows[kpj].membership.pk: wage for kpj, wage in wages.items() if rows[kpj].membership.wage != wage}
    if not changed:
        return 0
    registry_services.wage_changes_record(
        actor=actor,
        month=month,
        wages=changed,
        open_from={row.membership.pk: row.open_from for row in rows.values() if row.membership.pk in changed},
        channel=channel,
    )
    return len(changed)


WAGE_SHEET_KPJ = ("kpj", "no kpj", "nomor kpj")
WAGE_SHEET_WAGE = ("upah", "upah baru", "gaji", "upah (rp)", "wage")


def wage_sheet_read(*, actor: Any, employer_id: int, content: bytes, file_name: str) -> dict[str, Decimal]:
    """The wages of a filled-in wage report (XLSX or CSV, the list the page gives out, or any with a
    KPJ and an Upah column): KPJ → wage, every unreadable row said with its line."""
    sheet = open_sheet(content, file_name)
    heads = [h.strip().lower() for h in sheet.headers]
    kpj_at = next((i for i, h in enumerate(heads) if h in WAGE_SHEET_KPJ), None)
    wage_at = next((i for i, h in enumerate(heads) if h in WAGE_SHEET_WAGE), None)
    if kpj_at is None or wage_at is None:
        raise ValidationFailed(
            [Problem("columns_missing", "Berkas harus memuat kolom KPJ dan Upah pada baris pertama.", "file")]
        )
    rows = {row.membership.kpj for row in selectors.wage_report_rows(user=actor, employer_id=employer_id)}
    wages: dict[str, Decimal] = {}
    problems: list[Problem] = []
    for line, cells in sheet.rows:
        kpj = cell_text(cells[kpj_at] if kpj_at < len(cells) else "").replace(" ", "")
        if kpj.isdigit() and len(kpj) < 11:
            kpj = kpj.zfill(11)  # typed into a number cell, Excel drops the leading zeros
        raw = cells[wage_at] if wage_at < len(cells) else None
        if not kpj and raw in (None, ""):
            continue  # a blank line
        if kpj not in rows:
            problems.append(
                Problem(
                    "kpj_unknown",
                    f"Baris {line}: KPJ {kpj or '(kosong)'} bukan pekerja aktif pemberi kerja ini.",
                    "file",
                )
            )
            continue
        try:
            wage = Decimal(str(raw)) if isinstance(raw, int | float | Decimal) else parse_rupiah(cell_text(raw))
        except (ValueError, ArithmeticError):
            problems.append(
                Problem("amount_invalid", f"Baris {line}: upah {cell_text(raw)!r} bukan angka rupiah.", "file")
            )
            continue
        if kpj in wages and wages[kpj] != wage:
            problems.append(
                Problem("kpj_twice", f"Baris {line}: KPJ {kpj} muncul dua kali dengan upah berbeda.", "file")
            )
        wages[kpj] = wage
    if problems:
        raise ValidationFailed(problems)
    return wages
