"""Reads of bulk enrolment: uploads and their bad rows (scoped), the error report and the template as
XLSX, and a sponsor's budget: allocation, what its covered list requires, what an upload would add."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from paritrana.accounts.scope import Scope, scope_for
from paritrana.contributions.rules.contribution import calculate, parse_input
from paritrana.core.errors import NotFound
from paritrana.core.exports import mask_nik, xlsx_bytes
from paritrana.core.money import format_rupiah
from paritrana.law.selectors import parameters_on
from paritrana.registry.models import Employer, Membership, Sponsor
from paritrana.registry.selectors import membership_list, payer_in_region

from .models import RowError, RowNote, SponsorBudget, StagedRow, Upload
from .rules.columns import COLUMNS
from .rules.problems import problem_label
from .rules.proof import card_status, initials


def uploads_visible(user: Any) -> QuerySet[Upload]:
    def in_region(scope: Scope) -> Q:
        return payer_in_region("sponsor__")(scope) | Q(employer__regency__in=scope.regencies)

    return scope_for(user).restrict(
        Upload.objects.select_related("sponsor", "employer"), regency=in_region, employer="employer", sponsor="sponsor"
    )


def upload_get(*, user: Any, upload_id: int) -> Upload:
    upload = uploads_visible(user).filter(pk=upload_id).first()
    if upload is None:
        raise NotFound("Unggahan")
    return upload


def upload_errors(*, upload: Upload) -> QuerySet[RowError]:
    return RowError.objects.filter(upload=upload).order_by("line", "id")


def upload_notes(*, upload: Upload) -> QuerySet[RowNote]:
    """Warnings about valid lines (issue 28 §3): enrolled, but worth a look."""
    return RowNote.objects.filter(upload=upload).order_by("line", "id")


def upload_already(*, upload: Upload) -> QuerySet[StagedRow]:
    """The rows of a list whose person was already enrolled with the payer (issue 28 §3): counted, and
    named by line so the operator can find them."""
    return StagedRow.objects.filter(upload=upload, outcome="already").order_by("line").only("line", "nik", "full_name")


def errors_xlsx(*, upload: Upload) -> bytes:
    """The bad rows as a workbook: line, column, code, reason; one row per problem."""
    labels = {c.field: c.header for c in COLUMNS}
    errors = (
        [line, labels.get(field, field), code, message]
        for line, field, code, message in (
            upload_errors(upload=upload).values_list("line", "field", "code", "message").iterator()
        )
    )
    summary: list[list[Any]] = [
        ["Berkas", upload.file_name],
        ["Baris", upload.rows],
        ["Baris sah", upload.valid],
        ["Baris bermasalah", upload.invalid],
        ["Sudah terdaftar", upload.already_enrolled],
        ["Peringatan", int(upload.detail.get("warnings", 0))],
        ["Didaftarkan", upload.applied],
        *([problem_label(code), count] for code, count in upload.error_counts),
    ]
    already = ([r.line, mask_nik(r.nik), r.full_name] for r in upload_already(upload=upload).iterator())
    notes = (
        [line, labels.get(field, field), code, message]
        for line, field, code, message in upload_notes(upload=upload).values_list("line", "field", "code", "message")
    )
    return xlsx_bytes(
        [
            ("Kesalahan", ["Baris", "Kolom", "Kode", "Alasan"], errors),
            ("Sudah terdaftar", ["Baris", "NIK", "Nama"], already),
            ("Peringatan", ["Baris", "Kolom", "Kode", "Alasan"], notes),
            ("Ringkasan", None, summary),
        ]
    )


def template_xlsx() -> bytes:
    """The template: Indonesian headers, one example row, and a sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Peserta"
    sheet.append([c.header for c in COLUMNS])
    sheet.append([c.example for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(14, len(column.header) + 4)
        # NIK and region codes are text: Excel would round a 16-digit number.
        for cell in sheet[letter][1:]:
            cell.number_format = "@"
    notes = book.create_sheet("Petunjuk")
    notes.append(["Kolom", "Wajib ada", "Keterangan"])
    for column in COLUMNS:
        notes.append([column.header, "ya" if column.required else "tidak", column.note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv() -> str:
    return ",".join(c.header for c in COLUMNS) + "\r\n"


# -- budgets ---------------------------------------------------------------------------------------


def _monthly(
    segment: str,
    income: Decimal | None,
    wage: Decimal | None,
    programmes: list[str],
    employer: Employer | None,
    on: date,
) -> Decimal:
    """One participant's monthly contribution (contributions/rules/contribution.py)."""
    payload: dict[str, Any] = {"segment": segment, "period": f"{on:%Y-%m}"}
    if segment == "BPU":
        payload |= {"declared_income": str(income or 0), "include_jht": "JHT" in programmes}
    elif segment in ("PU", "JAKON"):
        payload["wage"] = str(wage or 0)
        if segment == "PU":
            payload |= {
                "jkk_risk_group": employer.jkk_risk_group if employer else 1,
                "employer_scale": employer.scale if employer else "large",
            }
    else:
        return Decimal(0)  # PMI pays a package per placement, not monthly
    data, problems = parse_input(payload)
    if problems or data is None:
        return Decimal(0)
    return calculate(data, parameters_on(data.as_of)).total_due


def _required(
    groups: list[tuple[str, Decimal | None, Decimal | None, list[str] | None, int]], employer: Employer | None, on: date
) -> Decimal:
    return sum(
        (_monthly(seg, income, wage, progs or [], employer, on) * count for seg, income, wage, progs, count in groups),
        Decimal(0),
    )


def budget_status(*, sponsor: Sponsor, year: int) -> dict[str, Any]:
    """The sponsor's budget year: allocation, the persons it covers that year × monthly contribution
    × months paid (committed), and what is left."""
    budget = SponsorBudget.objects.filter(sponsor=sponsor, year=year).first()
    months = budget.months if budget else 12
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT segment, declared_income, wage, programmes, count(*)
            FROM registry_membership
            WHERE sponsor_id = %s AND status = 'active' AND valid_from <= %s
              AND (valid_until IS NULL OR valid_until >= %s)
            GROUP BY 1, 2, 3, 4
            """,
            (sponsor.pk, date(year, 12, 31), date(year, 1, 1)),
        )
        groups = cursor.fetchall()
    on = date(year, 1, 1)
    persons = sum(g[4] for g in groups)
    monthly = _required(groups, sponsor.employer, on)
    committed = monthly * months
    allocation = budget.allocation if budget else None
    return {
        "year": year,
        "allocation": allocation,
        "months": months,
        "persons": persons,
        "monthly": monthly,
        "committed": committed,
        "left": (allocation - committed) if allocation is not None else None,
        "document": budget.document if budget else "",
    }


def budget_display(status: dict[str, Any]) -> dict[str, Any]:
    """budget_status with its amounts written as rupiah for a page."""
    return {
        **status,
        **{f"{k}_text": format_rupiah(status[k]) for k in ("allocation", "monthly", "committed", "left")},
        # A remainder below zero is an overrun, said as one (issue 27: "sisa pagu -Rp5.294.004.800").
        **(
            {"left_text": f"terlampaui {format_rupiah(-status['left'])}"}
            if status["left"] is not None and status["left"] < 0
            else {}
        ),
        "over": status["left"] is not None and status["left"] < 0,
    }


def budget_check(*, upload: Upload) -> dict[str, Any]:
    """What applying ``upload`` would add to its sponsor's budget year, and whether it fits."""
    assert upload.sponsor is not None
    year = upload.valid_from.year
    status = budget_status(sponsor=upload.sponsor, year=year)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT segment_code, income_amount, wage_amount, programme_list, count(*)
            FROM enrolment_row WHERE upload_id = %s AND NOT invalid AND outcome = ''
            GROUP BY 1, 2, 3, 4
            """,
            (upload.pk,),
        )
        groups = cursor.fetchall()
    adds = _required(groups, upload.sponsor.employer, date(year, 1, 1)) * status["months"]
    left = status["left"]
    exceeds = left is not None and adds > left
    warning = ""
    if status["allocation"] is None:
        warning = f"Pagu tahun {year} belum dicatat; kebutuhan unggahan ini {format_rupiah(adds)}."
    elif exceeds and left is not None and left < 0:
        # Already over before this upload: say by how much, not a "remaining" amount below zero.
        warning = (
            f"Pagu tahun {year} sudah terlampaui {format_rupiah(-left)} sebelum unggahan ini; "
            f"unggahan ini menambah kebutuhan {format_rupiah(adds)} untuk {status['months']} bulan."
        )
    elif exceeds:
        warning = (
            f"Unggahan ini membutuhkan {format_rupiah(adds)} untuk {status['months']} bulan, "
            f"melebihi sisa pagu {format_rupiah(left)} tahun {year}."
        )
    return {
        "year": year,
        "allocation": str(status["allocation"]) if status["allocation"] is not None else None,
        "committed": str(status["committed"]),
        "required": str(adds),
        "left": str(left) if left is not None else None,
        "exceeds": exceeds,
        "warning": warning,
    }


# --- Proof of participation (issue 5 §5) -----------------------------------------------------------

SEGMENT_LABELS = {"PU": "Penerima Upah", "BPU": "Bukan Penerima Upah", "JAKON": "Jasa Konstruksi", "PMI": "PMI"}


def _period(valid_from: date, valid_until: date | None) -> str:
    return f"{valid_from:%d/%m/%Y} – " + (f"{valid_until:%d/%m/%Y}" if valid_until else "selama bekerja")


def upload_cards(*, upload: Upload, offset: int = 0, limit: int = 2_000) -> list[dict[str, Any]]:
    """One card per enrolled row of the upload (added now or found already enrolled), in file order."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.title_prefix, p.full_name, p.title_suffix, m.kpj, m.segment, m.programmes,
              coalesce(s.name, e.name, ''), m.valid_from, m.valid_until
            FROM enrolment_row r
            JOIN registry_membership m ON m.id = r.membership_id
            JOIN registry_person p ON p.id = m.person_id
            LEFT JOIN registry_sponsor s ON s.id = m.sponsor_id
            LEFT JOIN registry_employer e ON e.id = m.employer_id
            WHERE r.upload_id = %s AND r.outcome IN ('applied', 'already')
            ORDER BY r.line
            OFFSET %s LIMIT %s
            """,
            (upload.pk, offset, limit),
        )
        rows = cursor.fetchall()
    return [
        {
            "name": " ".join(x for x in (prefix, name) if x) + (f", {suffix}" if suffix else ""),
            "kpj": kpj,
            "segment": segment,
            "programmes": " · ".join(programmes),
            "payer": payer,
            "valid": _period(valid_from, valid_until),
        }
        for prefix, name, suffix, kpj, segment, programmes, payer, valid_from, valid_until in rows
    ]


def person_cards(*, user: Any, person_id: int, today: date) -> list[dict[str, Any]]:
    """A person's own cards, one per membership (newest first), read through the caller's scope,
    each with the standing the public verification page would show for it."""
    cards = []
    for m in membership_list(user=user, person_id=person_id):
        person = m.person
        status = card_status(status=m.status, valid_from=m.valid_from, valid_until=m.valid_until, today=today)
        cards.append(
            {
                "name": " ".join(x for x in (person.title_prefix, person.full_name) if x)
                + (f", {person.title_suffix}" if person.title_suffix else ""),
                "kpj": m.kpj,
                "segment": m.segment,
                "programmes": " · ".join(m.programmes),
                "payer": (m.sponsor.name if m.sponsor else m.employer.name if m.employer else ""),
                "valid": _period(m.valid_from, m.valid_until),
                "status": status.code,
                "status_label": status.label,
            }
        )
    return cards


def upload_card_persons(*, upload: Upload, offset: int = 0, limit: int = 2_000) -> list[int]:
    """The persons on the same cards as ``upload_cards`` with the same bounds (for the audit trail)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT m.person_id FROM enrolment_row r JOIN registry_membership m ON m.id = r.membership_id
            WHERE r.upload_id = %s AND r.outcome IN ('applied', 'already') ORDER BY r.line OFFSET %s LIMIT %s
            """,
            (upload.pk, offset, limit),
        )
        return [row[0] for row in cursor.fetchall()]


def upload_card_count(*, upload: Upload) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM enrolment_row WHERE upload_id = %s AND outcome IN ('applied', 'already')"
            " AND membership_id IS NOT NULL",
            (upload.pk,),
        )
        return int(cursor.fetchone()[0])


def _payer_counts(*, sponsor_id: int | None, employer_id: int | None, today: date) -> list[tuple[str, str, int]]:
    """Open memberships this payer pays for on ``today``, by segment and programmes."""
    payer = "m.sponsor_id = %s" if sponsor_id is not None else "m.sponsor_id IS NULL AND m.employer_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT m.segment, array_to_string(m.programmes, ', '), count(*)
            FROM registry_membership m
            WHERE {payer} AND m.status = 'active' AND m.valid_from <= %s
              AND (m.valid_until IS NULL OR m.valid_until >= %s)
            GROUP BY 1, 2 ORDER BY 1, 2
            """,
            (sponsor_id if sponsor_id is not None else employer_id, today, today),
        )
        return [(segment, programmes, int(count)) for segment, programmes, count in cursor.fetchall()]


def payer_certificate(
    *, sponsor: Sponsor | None = None, employer: Employer | None = None, today: date
) -> dict[str, Any]:
    """The certificate's content: the payer and the workers it covers on ``today``, counted from the
    registry (not from uploads, so a renewal or an ended membership shows)."""
    counts = _payer_counts(
        sponsor_id=sponsor.pk if sponsor else None, employer_id=employer.pk if employer else None, today=today
    )
    total = sum(c for _, _, c in counts)
    if sponsor is not None:
        kind, payer_id, name = "S", sponsor.pk, sponsor.name
        kind_label = f"Penanggung iuran ({sponsor.get_kind_display()})"
        region = sponsor.region.name if sponsor.region_id else ""
        statement = "yang menanggung iuran pekerja berikut dalam program Jaminan Sosial Ketenagakerjaan"
        basis = "Inpres 2/2021: pemerintah daerah mendaftarkan pekerja non-ASN dan rentan serta menganggarkan iurannya."
    elif employer is not None:
        kind, payer_id, name = "E", employer.pk, employer.name
        kind_label = f"Pemberi kerja · NPP {employer.npp}"
        region = ""
        statement = "yang mendaftarkan pekerjanya dalam program Jaminan Sosial Ketenagakerjaan"
        # Inpres 2/2021 asks PTSP offices to require proof of active participation for licences.
        basis = (
            "UU 24/2011 Pasal 15 ayat (1): pemberi kerja wajib mendaftarkan pekerjanya;"
            " bukti kepesertaan aktif untuk perizinan (Inpres 2/2021)."
        )
    else:
        raise NotFound("Pembayar")
    return {
        "payer_kind": kind,
        "payer_id": payer_id,
        "number": f"SK-{today:%Y%m%d}-{kind}{payer_id:06d}",
        "payer_name": name,
        "payer_kind_label": kind_label,
        "region": region,
        "statement": statement,
        "rows": [
            {"segment": SEGMENT_LABELS.get(s, s), "programmes": p, "count": f"{c:,}".replace(",", ".")}
            for s, p, c in counts
        ],
        "total": f"{total:,}".replace(",", "."),
        "total_count": total,
        "as_of": f"{today:%d/%m/%Y}",
        "legal_basis": basis,
    }


def card_verification(*, kpj: str, today: date) -> dict[str, Any] | None:
    """What the public page says of a card: the name's initials and the membership's standing, and
    nothing else about the worker (rules/proof.py)."""
    membership = (
        Membership.objects.select_related("person")
        .filter(kpj=kpj)
        .only("kpj", "status", "valid_from", "valid_until", "segment", "person__full_name")
        .first()
    )
    if membership is None:
        return None
    standing = card_status(
        status=membership.status,
        valid_from=membership.valid_from,
        valid_until=membership.valid_until,
        today=today,
    )
    return {
        "initials": initials(membership.person.full_name),
        "kpj": membership.kpj,
        "status": standing.code,
        "status_label": standing.label,
        "checked_on": today.isoformat(),
    }


def certificate_verification(*, payer_kind: str, payer_id: int, today: date) -> dict[str, Any] | None:
    """A certificate checked today: the payer's name and how many workers it covers now (a count)."""
    sponsor = Sponsor.objects.filter(pk=payer_id).first() if payer_kind == "S" else None
    employer = Employer.objects.filter(pk=payer_id).first() if payer_kind == "E" else None
    if sponsor is None and employer is None:
        return None
    counts = _payer_counts(
        sponsor_id=sponsor.pk if sponsor else None, employer_id=employer.pk if employer else None, today=today
    )
    return {
        "payer_name": sponsor.name if sponsor else employer.name if employer else "",
        "covered": sum(c for _, _, c in counts),
        "checked_on": today.isoformat(),
    }


# -- set-based facts for other apps' bulk reports (the award's indicators) ----------------------------


def apbd_allocation_by_region(*, year: int) -> dict[str, Decimal]:
    """The APBD budget each region's own sponsors (province or regency) set for ``year``."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT s.region_id, sum(b.allocation) FROM enrolment_sponsorbudget b
            JOIN registry_sponsor s ON s.id = b.sponsor_id
            WHERE b.year = %(year)s AND s.kind IN ('apbd_province', 'apbd_regency') GROUP BY s.region_id
            """,
            {"year": year},
        )
        return dict(cursor.fetchall())
