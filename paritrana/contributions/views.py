"""Pages of the contribution engine. The simulation page is public, like BPJS's own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from paritrana.accounts.scope import scope_for
from paritrana.core.errors import NotFound, PermissionDenied, Problem, ValidationFailed
from paritrana.core.exports import Table, mask_nik, table_response
from paritrana.core.forms import read_form
from paritrana.core.money import format_rupiah, parse_rupiah
from paritrana.core.periods import Period, PeriodInvalid
from paritrana.core.uploads import read_upload
from paritrana.registry import selectors as registry_selectors

from . import selectors
from .rules.contribution import INPUT_FIELDS, SCALES, SEGMENTS
from .rules.payment_code import payment_code
from .schemas import PAYMENT_LABELS, PaymentIn
from .services import (
    STATEMENT_MAX_BYTES,
    Payer,
    contribution_calculate,
    payment_import_statement,
    payment_record,
    wage_sheet_read,
)
from .services import wage_report as wage_report_record

FLAGS = tuple(name for name, spec in INPUT_FIELDS.items() if spec.kind == "flag")


def _typed(kind: str, text: str) -> str:
    """An amount as officers type it ("Rp 3.500.000") in the form the calculator reads; what cannot be
    read is passed on as typed, for the calculator to say what is wrong with it."""
    if kind == "amount":
        try:
            return str(parse_rupiah(text))
        except ValueError:
            return text
    return text


def simulate(request: HttpRequest) -> HttpResponse:
    form: dict[str, Any] = {name: request.GET.get(name, "").strip() for name in INPUT_FIELDS if name not in FLAGS}
    form.update({name: request.GET.get(name) == "on" for name in FLAGS})
    form["segment"] = form["segment"] or "PU"
    form["period"] = form["period"] or timezone.localdate().strftime("%Y-%m")
    form["employer_scale"] = form["employer_scale"] or "large"
    result = None
    problems: list[Any] = []
    if request.GET.get("hitung"):
        # Every box the calculator reads, typed as its field says; an empty box is a field left out.
        payload: dict[str, Any] = {
            name: form[name] if name in FLAGS else _typed(spec.kind, form[name])
            for name, spec in INPUT_FIELDS.items()
            if name in FLAGS or form[name]
        }
        if form["segment"] != "PU":
            payload.pop("employer_scale", None)  # the scale of business matters only to wage earners
        try:
            result = contribution_calculate(payload)
        except ValidationFailed as exc:
            problems = exc.problems
        else:
            # People read dates as 16/06/2025 (DESIGN.md §3.8); the JSON keeps ISO dates.
            result["due_date_display"] = (
                date.fromisoformat(result["due_date"]).strftime("%d/%m/%Y") if result["due_date"] else ""
            )
    return render(
        request,
        "contributions/simulate.html",
        {
            "form": form,
            "result": result,
            "problems": problems,
            "segments": SEGMENTS,
            "scales": SCALES,
            "risk_groups": range(1, 6),
        },
        status=400 if problems else 200,
    )


# -- bills, payments, arrears, history (staff and payers; scoped by the selectors) -----------------


def _not_found(exc: NotFound) -> Http404:
    return Http404(exc.problem.message)


@login_required
def payer_bills(request: HttpRequest, payer_kind: str, payer_id: int) -> HttpResponse:
    """A payer's bills, newest month first, and the payment form for those who may record one."""
    if not selectors.payer_visible(user=request.user, payer_kind=payer_kind, payer_id=payer_id):
        raise Http404("Pembayar tidak ditemukan atau di luar wewenang Anda.")
    payer = Payer(payer_kind, payer_id)
    problems: list[Any] = []
    form = {"amount": "", "paid_on": timezone.localdate().isoformat(), "reference": ""}
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in form}
        try:
            paid = read_form(PaymentIn, request.POST, labels=PAYMENT_LABELS, payer_kind=payer_kind, payer_id=payer_id)
            payment, created = payment_record(
                actor=request.user,
                payer=payer,
                amount=paid.amount,
                paid_on=paid.paid_on,
                reference=paid.reference,
                channel="page",
            )
        except ValidationFailed as exc:
            problems = exc.problems
        except PermissionDenied as exc:
            problems = [exc.problem]
        else:
            if created:
                messages.success(request, f"Pembayaran {payment.reference} dicatat: {format_rupiah(payment.amount)}.")
            else:
                messages.info(request, f"Pembayaran {payment.reference} sudah tercatat sebelumnya.")
            return redirect(request.path)
    bills = selectors.bill_list(user=request.user, payer_kind=payer_kind, payer_id=payer_id)
    page = Paginator(bills, 24).get_page(request.GET.get("page"))
    name = selectors.payer_name(payer_kind, payer_id)
    return render(
        request,
        "contributions/payer_bills.html",
        {
            "page": page,
            "payer_name": name,
            "payer_kind": payer_kind,
            "payer_id": payer_id,
            "form": form,
            "problems": problems,
            "can_pay": scope_for(request.user).records_payments,
            "credit": selectors.payer_credit(user=request.user, payer_kind=payer_kind, payer_id=payer_id),
        },
        status=400 if problems else 200,
    )


@login_required
def bill_detail(request: HttpRequest, bill_id: int) -> HttpResponse:
    bill = selectors.bill_get(user=request.user, bill_id=bill_id)
    lines = Paginator(selectors.bill_lines(user=request.user, bill=bill), 100).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    rows = [
        {
            "line": line,
            "nik": line.person.nik if scope.full_nik_in_exports else mask_nik(line.person.nik),
            "programmes": selectors.line_programmes(line),
        }
        for line in lines
    ]
    # Payments read in a second query and sorted here: on a Citus cluster allocations lie by bill and
    # payments by payer, and Citus does not join the two (docs/scale.md).
    allocations = sorted(bill.allocations.prefetch_related("payment"), key=lambda a: (a.payment.paid_on, a.pk))
    return render(
        request,
        "contributions/bill_detail.html",
        {
            "bill": bill,
            "rows": rows,
            "page": lines,
            "allocations": allocations,
            "payer_name": _bill_payer(bill),
            "payment_code": _grouped(payment_code(bill.pk)),
        },
    )


def _grouped(code: str) -> str:
    """A payment code as printed for people to copy: in groups of four (the bank ignores the spaces)."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def _bill_payer(bill: Any) -> str:
    if bill.employer_id:
        return str(bill.employer.name)
    if bill.sponsor_id:
        return str(bill.sponsor.name)
    return str(bill.person.display_name)


@login_required
def arrears(request: HttpRequest) -> HttpResponse:
    by = "branch" if request.GET.get("by") == "branch" else "regency"
    rows = selectors.arrears_summary(user=request.user, by=by)
    region = request.GET.get("wilayah", "").strip()
    if region:
        # One regency/city: its payers by name, each a link to its bills (only within scope).
        named = next((r["name"] for r in rows if r["key"] == region and by == "regency"), None)
        if named is None:
            raise Http404("Wilayah tidak ada tunggakannya atau di luar wewenang Anda.")
        payers = selectors.arrears_payers(user=request.user, region=region)
        return render(request, "contributions/arrears_payers.html", {"payers": payers, "region_name": named})
    totals = {
        key: sum((r[key] or 0) for r in rows)
        for key in ("payers", "bills", "outstanding", "age_1", "age_2", "age_3", "age_over_3", "late_fee")
    }
    return render(
        request,
        "contributions/arrears.html",
        {"rows": rows, "by": by, "totals": totals, "can_record": scope_for(request.user).records_payments},
    )


@login_required
def history(request: HttpRequest, person_id: int) -> HttpResponse:
    months = selectors.contribution_history(user=request.user, person_id=person_id)
    person = registry_selectors.person_get(user=request.user, person_id=person_id, log_view=False)
    memberships = registry_selectors.membership_list(user=request.user, person_id=person_id)
    standings = [(m, selectors.membership_standing(membership=m)) for m in memberships]
    return render(
        request,
        "contributions/history.html",
        {"person": person, "months": months, "standings": standings},
    )


@login_required
def statement_import(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).records_payments:
        raise PermissionDenied("Rekening koran diimpor oleh petugas BPJS Ketenagakerjaan.")
    report = None
    problems: list[Any] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = [Problem("file_required", "Pilih berkas CSV rekening koran.", "file")]
        elif upload.size and upload.size > 20 * 1024 * 1024:
            problems = [Problem("file_too_large", "Berkas paling besar 20 MB.", "file")]
        else:
            try:
                report = payment_import_statement(
                    actor=request.user, content=read_upload(upload, max_bytes=STATEMENT_MAX_BYTES)
                ).as_dict()
            except ValidationFailed as exc:
                problems = exc.problems
            except PermissionDenied as exc:
                problems = [exc.problem]
    return render(
        request,
        "contributions/statement_import.html",
        {"report": report, "problems": problems},
        status=400 if problems else 200,
    )


WAGE_SHEET_MAX_BYTES = 20 * 1024 * 1024
WAGE_PAGE_ROWS = 200


@login_required
def wage_report(request: HttpRequest, employer_id: int) -> HttpResponse:
    """The employer's monthly wage report (issue 27 §3): every active wage earner with the latest
    reported wage, changed on the page or by a filled-in XLSX, from a month not yet billed."""
    if not scope_for(request.user).can_write:
        raise PermissionDenied("Laporan upah disampaikan oleh pemberi kerja atau petugas BPJS Ketenagakerjaan.")
    employer = registry_selectors.employer_get(user=request.user, employer_id=employer_id)
    rows = selectors.wage_report_rows(user=request.user, employer_id=employer.pk)
    earliest = max((row.open_from for row in rows), default=timezone.localdate().replace(day=1))
    if request.GET.get("format") == "xlsx":
        header = ["KPJ", "NIK", "Nama", "Upah"]
        cells = (
            [r.membership.kpj, mask_nik(r.membership.person.nik), r.membership.person.display_name, r.membership.wage]
            for r in rows
        )
        table = Table(f"laporan-upah-{employer.npp}", header, cells)
        return table_response(table, "xlsx")
    # A large employer finds its workers by name or KPJ, or uses the spreadsheet: a page holds
    # WAGE_PAGE_ROWS boxes at most.
    q = request.GET.get("q", "").strip()[:100]
    matching = [r for r in rows if not q or q == r.membership.kpj or q.lower() in r.membership.person.full_name.lower()]
    shown = matching[:WAGE_PAGE_ROWS]
    problems: list[Problem] = []
    typed: dict[int, str] = {}
    month_text = request.POST.get("month", f"{earliest:%Y-%m}")
    if request.method == "POST":
        try:
            month = Period.parse(month_text, field="month").first_day
            wages: dict[str, Decimal]
            upload = request.FILES.get("file")
            if upload is not None:
                content = read_upload(upload, max_bytes=WAGE_SHEET_MAX_BYTES)
                wages = wage_sheet_read(
                    actor=request.user, employer_id=employer.pk, content=content, file_name=upload.name or ""
                )
            else:
                wages = {}
                for row in rows:
                    text = request.POST.get(f"wage-{row.membership.pk}", "").strip()
                    typed[row.membership.pk] = text
                    if not text:
                        continue
                    try:
                        wages[row.membership.kpj] = parse_rupiah(text)
                    except ValueError:
                        problems.append(
                            Problem(
                                "amount_invalid",
                                f"{row.membership.kpj}: upah {text!r} bukan angka rupiah.",
                                f"wage-{row.membership.pk}",
                            )
                        )
                if problems:
                    raise ValidationFailed(problems)
            changed = wage_report_record(actor=request.user, employer_id=employer.pk, month=month, wages=wages)
        except ValidationFailed as exc:
            problems = exc.problems
        except PeriodInvalid as exc:
            problems = [exc.problem]
        else:
            if changed:
                messages.info(request, f"{changed} upah berubah, ditagih mulai {month:%m/%Y}.")
            else:
                messages.info(request, "Tidak ada upah yang berubah.")
            return redirect("contributions:wage_report", employer_id=employer.pk)
    return render(
        request,
        "contributions/wage_report.html",
        {
            "employer": employer,
            "entries": [
                (row, typed.get(row.membership.pk, ""), f"wage-{row.membership.pk}" in {p.field for p in problems})
                for row in shown
            ],
            "q": q,
            "hidden": len(matching) - len(shown),
            "month": month_text,
            "earliest": earliest,
            "problems": problems,
        },
        status=400 if problems else 200,
    )
