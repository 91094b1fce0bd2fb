"""Writes of bulk enrolment: take an upload, queue and run its application, plan and renew budgets.

Who may upload for whom is decided here once (pages, API and CLI share it): a sponsor operator for
their sponsor, an employer's HR for their employer, regional officers for payers inside their
region, the national administrator and the command line (an operator on the server) for any.
"""

from __future__ import annotations

import hashlib
import time
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from paritrana.accounts.scope import Scope, scope_for
from paritrana.core.actors import acting_user, set_database_actor
from paritrana.core.audit import audit_record
from paritrana.core.batch import batch_run
from paritrana.core.errors import NotFound, PermissionDenied, Problem, ValidationFailed
from paritrana.core.sheets import open_sheet
from paritrana.registry.models import Employer, Sponsor

from . import selectors
from .batch.enrol import PayerContext, apply_upload, stage_and_validate
from .models import SponsorBudget, Upload, UploadStatus
from .rules.columns import FIELDS, map_headers


def payer_may_upload(scope: Scope, *, sponsor: Sponsor | None, employer: Employer | None) -> bool:
    if scope.everything:
        return True
    if sponsor is not None:
        if scope.sponsor_id is not None:
            return scope.sponsor_id == sponsor.pk
        if scope.is_regional:
            return (
                scope.covers_regency(sponsor.regency_id)
                if sponsor.regency_id
                else sponsor.province_id in scope.provinces
            )
    if employer is not None:
        if scope.employer_id is not None:
            return scope.employer_id == employer.pk
        if scope.is_regional:
            return scope.covers_regency(employer.regency_id)
    return False


def payer_context(*, sponsor: Sponsor | None, employer: Employer | None) -> PayerContext:
    if sponsor is not None:
        # A sponsor pays for residents of its own jurisdiction (Inpres 2/2021: each Pemda budgets for
        # its own non-ASN and vulnerable workers); its institution is the employer of PU rows.
        return PayerContext(
            sponsor_id=sponsor.pk,
            employer_id=sponsor.employer_id,
            jurisdiction=sponsor.region_id,
            jurisdiction_name=sponsor.region.name,
            payer_regency=sponsor.regency_id,
            default_segment="BPU",
        )
    assert employer is not None
    return PayerContext(
        sponsor_id=None,
        employer_id=employer.pk,
        jurisdiction="",
        jurisdiction_name="Indonesia",
        payer_regency=employer.regency_id,
        default_segment="PU",
    )


def _payer_of(upload: Upload) -> PayerContext:
    return payer_context(sponsor=upload.sponsor, employer=upload.employer)


def upload_create(
    *,
    actor: Any,
    content: bytes,
    file_name: str,
    sponsor_code: str | None = None,
    sponsor_id: int | None = None,
    employer_npp: str | None = None,
    employer_id: int | None = None,
    mapping: dict[str, str] | None = None,
    valid_from: date | None = None,
    dry_run: bool = False,
    channel: str = "page",
) -> Upload:
    """Read, stage and check a list. Nothing is enrolled yet: the upload waits to be applied (or, for
    a dry run, only reports). A file whose columns cannot be placed is refused whole, with every
    reason; a file with bad rows is taken, and each bad row is reported."""
    scope = scope_for(actor)
    if not scope.can_write:
        raise PermissionDenied()
    sponsor: Sponsor | None = None
    employer: Employer | None = None
    if sponsor_code or sponsor_id:
        sponsors = Sponsor.objects.select_related("region", "employer")
        sponsor = (
            sponsors.filter(code=sponsor_code.strip().upper()) if sponsor_code else sponsors.filter(pk=sponsor_id or 0)
        ).first()
        if sponsor is None:
            raise ValidationFailed([Problem("sponsor_unknown", "Penanggung iuran tidak ditemukan.", "sponsor")])
    elif employer_npp or employer_id:
        employers = Employer.objects.all()
        employer = (
            employers.filter(npp=employer_npp.strip()) if employer_npp else employers.filter(pk=employer_id or 0)
        ).first()
        if employer is None:
            raise ValidationFailed([Problem("employer_unknown", "Pemberi kerja tidak ditemukan.", "employer")])
    elif scope.sponsor_id is not None:
        sponsor = Sponsor.objects.select_related("region").get(pk=scope.sponsor_id)
    elif scope.employer_id is not None:
        employer = Employer.objects.get(pk=scope.employer_id)
    else:
        raise ValidationFailed([Problem("payer_required", "Pilih penanggung iuran atau pemberi kerja.", "sponsor")])
    if not payer_may_upload(scope, sponsor=sponsor, employer=employer):
        raise PermissionDenied("Anda tidak berwenang mendaftarkan peserta untuk pembayar ini.")
    # The header row is the first that names every required column: a title or the village's name
    # above the table is no header (issue 28).
    sheet = open_sheet(content, file_name, header_found=lambda cells: not map_headers(cells, mapping).missing)
    header_map = map_headers(sheet.headers, mapping)
    problems = [
        Problem("column_missing", f"Kolom {field} tidak ditemukan; gunakan templat atau pemetaan kolom.", field)
        for field in header_map.missing
    ]
    problems += [
        Problem("column_repeated", f"Dua kolom berkas dipetakan ke {field}.", field) for field in header_map.repeated
    ]
    problems += [
        Problem("mapping_target_unknown", f"Tujuan pemetaan '{t}' tidak dikenal ({', '.join(FIELDS)}).", "mapping")
        for t in header_map.unknown_targets
    ]
    if problems:
        raise ValidationFailed(problems)
    today = timezone.localdate()
    with transaction.atomic():
        upload = Upload.objects.create(
            sponsor=sponsor,
            employer=employer,
            file_name=file_name[:200],
            file_sha256=hashlib.sha256(content).hexdigest(),
            mapping=mapping or {},
            valid_from=valid_from or today,
            dry_run=dry_run,
            created_by=acting_user(actor),
            detail={"ignored_columns": list(header_map.ignored), "format": sheet.kind},
        )
        stage_and_validate(
            upload=upload, sheet=sheet, header_map=header_map, payer=payer_context(sponsor=sponsor, employer=employer)
        )
        if upload.rows == 0:
            raise ValidationFailed([Problem("file_no_rows", "Berkas tidak berisi baris data.", "file")])
        if sponsor is not None:
            upload.detail = {**upload.detail, "budget": selectors.budget_check(upload=upload)}
            upload.save(update_fields=["detail"])
        audit_record(
            actor=actor,
            action="enrolment_upload",
            entity="enrolment_upload",
            entity_id=upload.pk,
            channel=channel,
            detail={"rows": upload.rows, "invalid": upload.invalid, "file": upload.file_name, "dry_run": dry_run},
        )
    return upload


def _upload_for_write(actor: Any, upload_id: int, channel: str) -> Upload:
    scope = scope_for(actor)
    upload = Upload.objects.select_related("sponsor", "employer").filter(pk=upload_id).first()
    if upload is None or not payer_may_upload(scope, sponsor=upload.sponsor, employer=upload.employer):
        raise NotFound("Unggahan")
    if upload.dry_run:
        raise ValidationFailed([Problem("dry_run", "Unggahan uji coba tidak dapat diterapkan; unggah ulang.", None)])
    return upload


def upload_queue(*, actor: Any, upload_id: int, channel: str = "page") -> Upload:
    """Queue the background job that applies an upload; the page then follows its progress."""
    from .tasks import enrol_apply

    upload = _upload_for_write(actor, upload_id, channel)
    if upload.status in (UploadStatus.APPLIED, UploadStatus.APPLYING, UploadStatus.QUEUED):
        return upload
    with transaction.atomic():
        upload.status = UploadStatus.QUEUED
        upload.save(update_fields=["status"])
        audit_record(
            actor=actor, action="enrolment_queue", entity="enrolment_upload", entity_id=upload.pk, channel=channel
        )
        transaction.on_commit(lambda: enrol_apply.defer(upload_id=upload.pk))
    return upload


def upload_gone(params: dict[str, Any]) -> None:
    """An apply whose process died (its ledger row reaped, core/batch.py): the upload is said to have
    stopped, not "applying" for ever (issue 29, defect 7). Its committed batches stay; the job put
    back in the queue, ``paritrana enrol apply`` or the page's button resumes after them."""
    upload_id = params.get("upload")
    if upload_id is not None:
        Upload.objects.filter(pk=upload_id, status=UploadStatus.APPLYING).update(status=UploadStatus.FAILED)


def upload_run(*, upload_id: int, actor: Any = None, channel: str = "job", batch_lines: int | None = None) -> Upload:
    """Apply an upload now (the job's body, and the CLI's). Resumes after the last committed batch."""
    upload = _upload_for_write(actor, upload_id, channel)
    kwargs = {"batch_lines": batch_lines} if batch_lines else {}
    with batch_run("enrolment_apply", {"upload": upload.pk}) as run:
        try:
            applied = apply_upload(upload_id=upload.pk, payer=_payer_of(upload), **kwargs)
        except BaseException:
            Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.FAILED)
            raise
        done = applied.upload
        # What this apply wrote itself: a second apply of the same upload waits, then writes nothing.
        run.rows = applied.written
        run.detail = {"written": applied.written, "applied": done.applied, "already_enrolled": done.already_enrolled}
    audit_record(
        actor=actor,
        action="enrolment_apply",
        entity="enrolment_upload",
        entity_id=upload.pk,
        channel=channel,
        detail={"applied": done.applied, "already_enrolled": done.already_enrolled},
    )
    return done


def upload_summary(upload: Upload) -> dict[str, Any]:
    """The CLI's and API's answer."""
    return {
        "upload": upload.pk,
        "status": upload.status,
        "rows": upload.rows,
        "valid": upload.valid,
        "invalid": upload.invalid,
        "applied": upload.applied,
        "already_enrolled": upload.already_enrolled,
        "errors_by_code": dict(upload.error_counts),
        "warnings": int(upload.detail.get("warnings", 0)),
        "seconds": float(upload.seconds + upload.apply_seconds),
    }


# -- budgets ---------------------------------------------------------------------------------------


def budget_set(
    *,
    actor: Any,
    sponsor_id: int,
    year: int,
    allocation: Decimal,
    months: int = 12,
    document: str = "",
    channel: str = "page",
) -> SponsorBudget:
    scope = scope_for(actor)
    sponsor = Sponsor.objects.filter(pk=sponsor_id).first()
    if sponsor is None or not payer_may_upload(scope, sponsor=sponsor, employer=None):
        raise NotFound("Penanggung iuran")
    problems = []
    if not 2000 <= year <= 2100:
        problems.append(Problem("year_invalid", "Tahun anggaran tidak valid.", "year"))
    if allocation < 0 or allocation >= Decimal(10) ** 15:
        problems.append(Problem("amount_invalid", "Pagu harus angka rupiah tidak negatif.", "allocation"))
    if not 1 <= months <= 12:
        problems.append(Problem("months_invalid", "Bulan dibayar harus 1 sampai 12.", "months"))
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        budget, _ = SponsorBudget.objects.update_or_create(
            sponsor=sponsor,
            year=year,
            defaults={"allocation": allocation, "months": months, "document": document[:200]},
        )
        audit_record(
            actor=actor,
            action="budget_set",
            entity="sponsor_budget",
            entity_id=budget.pk,
            channel=channel,
            detail={"year": year, "allocation": str(allocation), "months": months},
        )
    return budget


def budget_renew(*, actor: Any, sponsor_id: int, year: int, channel: str = "page") -> dict[str, Any]:
    """Carry the sponsor's whole list into budget year ``year``: every open membership it pays that
    ends on 31 December of the year before is extended to 31 December of ``year``. The APBD funds
    coverage one budget year at a time, so sponsored memberships end with the year unless renewed."""
    scope = scope_for(actor)
    sponsor = Sponsor.objects.filter(pk=sponsor_id).first()
    if sponsor is None or not payer_may_upload(scope, sponsor=sponsor, employer=None):
        raise NotFound("Penanggung iuran")
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            set_database_actor(
                cursor, getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
            )
            cursor.execute(
                """
                UPDATE registry_membership SET valid_until = %(new_end)s, updated_at = now()
                WHERE sponsor_id = %(sponsor)s AND status = 'active' AND valid_until = %(old_end)s
                """,
                {"sponsor": sponsor.pk, "old_end": date(year - 1, 12, 31), "new_end": date(year, 12, 31)},
            )
            renewed = cursor.rowcount
        status = selectors.budget_status(sponsor=sponsor, year=year)
        audit_record(
            actor=actor,
            action="budget_renew",
            entity="sponsor",
            entity_id=sponsor.pk,
            channel=channel,
            detail={"year": year, "renewed": renewed},
        )
    return {"year": year, "renewed": renewed, "seconds": round(time.perf_counter() - started, 3), "budget": status}
