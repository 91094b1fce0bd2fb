"""Writes for the wage subsidy: a round's terms, its eligibility run, the second person's approval,
outside exclusion lists, disbursement batches per channel and the channels' returned results.

Every write is atomic and audited. Money leaves only from an approved round, only to an eligible
person, and once per instalment: the partial unique index ``bsu_one_live_payment`` refuses a second
payment that is on its way or paid, whichever batch or channel it comes from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from paritrana.accounts.scope import scope_for
from paritrana.core.actors import acting_user
from paritrana.core.audit import audit_record
from paritrana.core.bank_results import UNREADABLE, judged, read_results
from paritrana.core.batch import batch_run, durable_commit
from paritrana.core.errors import NotFound, PermissionDenied, Problem, ValidationFailed
from paritrana.core.forms import read_values
from paritrana.core.sheets import cell_text, open_sheet

from .batch.eligibility import run_eligibility
from .models import Batch, Channel, Decision, ExclusionList, ListKind, PaymentStatus, Round, RoundStatus
from .rules.rounds import Terms, instalment_amount
from .schemas import ROUND_LABELS, RoundIn

_DIGITS = re.compile(r"\D")


def _may_write(actor: Any, channel: str) -> None:
    if not scope_for(actor).everything:
        raise PermissionDenied("Hanya administrator nasional yang mengelola BSU.")


def _round(code: str, *, lock: bool = False) -> Round:
    rounds = Round.objects.select_for_update() if lock else Round.objects.all()
    found = rounds.filter(code=code.strip().upper()).first()
    if found is None:
        raise NotFound("Putaran BSU")
    return found


def terms_of(round_: Round) -> Terms:
    return Terms(
        monthly_amount=round_.monthly_amount,
        months=round_.months,
        instalments=round_.instalments,
        wage_ceiling=round_.wage_ceiling,
        ceiling_inclusive=round_.ceiling_inclusive,
        uses_minimum_wage=round_.minimum_wage_year is not None,
        segments=tuple(round_.segments),
        provinces_excluded=tuple(round_.provinces_excluded),
        regions_included=tuple(round_.regions_included),
        sectors=tuple(round_.sectors),
        employer_kinds_excluded=tuple(round_.employer_kinds_excluded),
        exclusion_kinds=tuple(round_.exclusion_kinds),
    )


def round_compute(*, actor: Any, code: str, channel: str = "page") -> Round:
    """Decide every person in the registry for the round (batch/eligibility.sql). Allowed until the
    round is approved; each run replaces the last and asks for a new approval."""
    _may_write(actor, channel)
    with batch_run("bsu_eligibility", {"round": code}) as run, transaction.atomic():
        round_ = _round(code, lock=True)
        if round_.status == RoundStatus.APPROVED:
            raise ValidationFailed(
                [
                    Problem(
                        "round_approved", "Putaran sudah disetujui; hasil penetapan tidak dapat dihitung ulang.", None
                    )
                ]
            )
        result = run_eligibility(round_)
        amount = instalment_amount(terms=terms_of(round_)) * round_.instalments
        round_.counts = {
            "decided": result["decided"],
            "eligible": result["eligible"],
            "reasons": result["reasons"],
            "amount": str(amount * result["eligible"]),
            "steps": result["steps"],
        }
        round_.status = RoundStatus.COMPUTED
        round_.computed_at = timezone.now()
        round_.computed_by = acting_user(actor)
        round_.approved_at = round_.approved_by = None
        round_.save()
        run.rows = result["decided"]
        run.detail = {k: v for k, v in round_.counts.items() if k != "reasons"}
        audit_record(
            actor=actor,
            action="bsu_compute",
            entity="subsidies_round",
            entity_id=round_.pk,
            channel=channel,
            detail={"decided": result["decided"], "eligible": result["eligible"]},
        )
    return round_


def round_approve(*, actor: Any, code: str, channel: str = "page") -> Round:
    """The second person's approval: whoever ran the eligibility may not approve it."""
    _may_write(actor, channel)
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("Persetujuan memerlukan pengguna yang masuk (orang kedua).")
    with transaction.atomic():
        round_ = _round(code, lock=True)
        if round_.status != RoundStatus.COMPUTED:
            raise ValidationFailed([Problem("round_not_computed", "Hitung penetapan penerima terlebih dahulu.", None)])
        if round_.computed_by_id is None or round_.computed_by_id == actor.pk:
            raise ValidationFailed(
                [
                    Problem(
                        "second_person_required",
                        "Penetapan harus disetujui oleh orang lain daripada yang menghitungnya.",
                        None,
                    )
                ]
            )
        round_.status = RoundStatus.APPROVED
        round_.approved_at = timezone.now()
        round_.approved_by = actor
        round_.save(update_fields=["status", "approved_at", "approved_by"])
        audit_record(actor=actor, action="bsu_approve", entity="subsidies_round", entity_id=round_.pk, channel=channel)
    return round_


def _match_through_linkage(
    actor: Any, code: str, kind: str, content: bytes, file_name: str, headers: list[str], channel: str
) -> dict[str, Any] | None:
    """Match a named exclusion list against the registry (linkage run); None for a NIK-only list."""
    import tempfile
    from pathlib import Path

    from paritrana.enrolment.rules.columns import header_key
    from paritrana.linkage import services as linkage
    from paritrana.linkage.batch.run import run_execute
    from paritrana.linkage.models import Match

    if not any(header_key(h) in linkage.FIELDS["name"] for h in headers):
        return None
    suffix = ".xlsx" if content[:4] == b"PK\x03\x04" else ".csv"
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(content)
        tmp.flush()
        listed = linkage.list_import(
            actor=actor, path=Path(tmp.name), file_name=file_name, kind="other", name=f"{code} {kind}", channel=channel
        )
    run = run_execute(linkage.run_create(actor=actor, list_id=listed.pk, channel=channel, defer=False).pk)
    niks = set(Match.objects.filter(run=run, decision="match").values_list("person__nik", flat=True))
    return {"niks": niks, "run": run.pk}


def exclusion_import(
    *, actor: Any, code: str, kind: str, content: bytes, file_name: str, origin: str = "", channel: str = "page"
) -> ExclusionList:
    """An outside list (CSV or XLSX with a ``NIK`` column) of people the round excludes. When the list
    also carries names (and birth dates, sex, regencies), it goes through the linkage capability
    (issue 7): the registered NIK of every person it matches is excluded as well, so a mistyped or
    missing NIK does not let an ASN or a PKH recipient through. Lines whose NIK is not sixteen digits
    are counted as invalid (they may still be excluded through their match)."""
    _may_write(actor, channel)
    if kind not in ListKind.values:
        raise ValidationFailed(
            [Problem("list_kind_unknown", f"Jenis daftar harus salah satu dari: {', '.join(ListKind.values)}.", "kind")]
        )
    sheet = open_sheet(content, file_name)
    keys = [re.sub(r"[^a-z]", "", h.lower()) for h in sheet.headers]
    at = next((i for i, key in enumerate(keys) if key in ("nik", "noktp", "nomorindukkependudukan")), None)
    if at is None:
        raise ValidationFailed([Problem("column_missing", "Kolom NIK tidak ditemukan.", "nik")])
    niks: set[str] = set()
    rows = invalid = 0
    for _line, cells in sheet.rows:
        texts = [cell_text(c) for c in cells]
        if not any(texts):
            continue
        rows += 1
        nik = _DIGITS.sub("", texts[at]) if at < len(texts) else ""
        if len(nik) != 16:
            invalid += 1
        else:
            niks.add(nik)
    linked = _match_through_linkage(actor, code, kind, content, file_name, sheet.headers, channel)
    if linked is not None:
        niks |= linked["niks"]
    with transaction.atomic():
        round_ = _round(code, lock=True)
        if round_.status == RoundStatus.APPROVED:
            raise ValidationFailed([Problem("round_approved", "Putaran sudah disetujui.", None)])
        listed = ExclusionList.objects.create(
            round=round_,
            kind=kind,
            name=file_name[:200],
            origin=origin[:200],
            rows=rows,
            invalid=invalid,
            created_by=acting_user(actor),
        )
        with connection.cursor() as django_cursor:
            cursor = django_cursor.cursor
            with cursor.copy("COPY subsidies_exclusion_entry (list_id, nik) FROM STDIN") as copy:
                for nik in niks:
                    copy.write_row((listed.pk, nik))
            cursor.execute(
                "SELECT count(*) FROM subsidies_exclusion_entry e JOIN registry_person p ON p.nik = e.nik"
                " WHERE e.list_id = %s",
                (listed.pk,),
            )
            listed.in_registry = cursor.fetchone()[0]
        listed.save(update_fields=["in_registry"])
        if round_.status == RoundStatus.COMPUTED:
            # The decisions no longer reflect the lists: compute again before approval.
            round_.status = RoundStatus.DRAFT
            round_.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="bsu_exclusion_import",
            entity="subsidies_exclusion_list",
            entity_id=listed.pk,
            channel=channel,
            detail={"round": round_.code, "kind": kind, "rows": rows, "invalid": invalid},
        )
    return listed


def batch_create(
    *,
    actor: Any,
    code: str,
    channel_code: str,
    instalment: int = 1,
    region: str = "",
    limit: int | None = None,
    channel: str = "page",
) -> Batch:
    """A batch of payments for one channel: eligible people of the approved round who have no payment
    of this instalment on its way or paid (so a failed or account-invalid one is re-issued here),
    optionally within a region and up to a number of people."""
    _may_write(actor, channel)
    with transaction.atomic():
        # A batch becomes a file a bank pays from: its commit must survive a power cut, which the
        # embedded server's synchronous_commit=off does not promise (docs/reliability.md).
        durable_commit()
        round_ = _round(code, lock=True)  # one batch at a time per round: numbers and selections in order
        problems = []
        if round_.status != RoundStatus.APPROVED:
            problems.append(Problem("round_not_approved", "Putaran belum disetujui.", None))
        if channel_code not in round_.channels:
            allowed = ", ".join(Channel(c).label for c in round_.channels)
            problems.append(Problem("channel_not_open", f"Penyalur putaran ini: {allowed}.", "channel"))
        if not 1 <= instalment <= round_.instalments:
            problems.append(Problem("instalment_unknown", f"Tahap 1–{round_.instalments}.", "instalment"))
        if problems:
            raise ValidationFailed(problems)
        amount = instalment_amount(terms=terms_of(round_))
        number = (Batch.objects.filter(round=round_).order_by("-number").values_list("number", flat=True).first()) or 0
        batch = Batch.objects.create(
            round=round_,
            number=number + 1,
            channel=channel_code,
            instalment=instalment,
            created_by=acting_user(actor),
        )
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO subsidies_payment (round_id, batch_id, person_id, instalment, channel, regency_code,
                  amount, reference, status)
                SELECT d.round_id, %(batch)s, d.person_id, %(instalment)s, %(channel)s, d.regency_code, %(amount)s,
                  %(prefix)s || lpad(d.person_id::text, 12, '0'), 'sent'
                FROM subsidies_decision d
                WHERE d.round_id = %(round)s AND d.eligible
                  AND (%(region)s = '' OR d.regency_code = %(region)s OR starts_with(d.regency_code, %(region)s || '.'))
                  AND NOT EXISTS (
                    SELECT 1 FROM subsidies_payment p
                    WHERE p.round_id = d.round_id AND p.person_id = d.person_id AND p.instalment = %(instalment)s
                      AND p.status IN ('sent', 'paid'))
                ORDER BY d.regency_code, d.person_id
                LIMIT %(limit)s
                """,
                {
                    "batch": batch.pk,
                    "round": round_.pk,
                    "instalment": instalment,
                    "channel": channel_code,
                    "amount": amount,
                    "region": region.strip(),
                    "prefix": f"{round_.code}-{batch.number:04d}-{instalment}-",
                    "limit": limit,
                },
            )
            batch.payments = cursor.rowcount
        if batch.payments == 0:
            raise ValidationFailed([Problem("nothing_to_pay", "Tidak ada penerima yang belum dibayar.", None)])
        batch.amount = amount * batch.payments
        batch.save(update_fields=["payments", "amount"])
        audit_record(
            actor=actor,
            action="bsu_batch_create",
            entity="subsidies_batch",
            entity_id=batch.pk,
            channel=channel,
            detail={
                "round": round_.code,
                "channel": channel_code,
                "payments": batch.payments,
                "amount": str(batch.amount),
            },
        )
    return batch


def results_import(*, actor: Any, content: bytes, file_name: str, channel: str = "page") -> dict[str, Any]:
    """A channel's returned results: CSV/XLSX with ``reference``, ``status`` (paid/berhasil,
    failed/gagal, account_invalid/rekening tidak valid) and optionally ``date``. A payment still
    ``sent`` takes its result; one that already has the same result is unchanged (importing a file
    twice changes nothing); one whose result the file contradicts (paid, then failed) is kept and
    reported as a conflict. Unknown references and unreadable lines are reported by line."""
    _may_write(actor, channel)
    rows, errors = read_results(content, file_name)
    today = timezone.localdate()
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute(
            "CREATE TEMP TABLE bsu_result (line int, reference text, status text, result_on date) ON COMMIT DROP"
        )
        with cursor.copy("COPY bsu_result FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            """
            SELECT r.line, r.reference, p.status, r.status
            FROM bsu_result r LEFT JOIN subsidies_payment p ON p.reference = r.reference
            WHERE p.id IS NULL OR (p.status <> 'sent' AND p.status <> r.status)
            ORDER BY r.line
            """
        )
        errors += judged(cursor.fetchall(), lambda state: PaymentStatus(state).label)
        cursor.execute(
            """
            UPDATE subsidies_payment p SET status = r.status, result_on = coalesce(r.result_on, %s)
            FROM bsu_result r WHERE p.reference = r.reference AND p.status = 'sent'
            """,
            (today,),
        )
        updated = cursor.rowcount
        cursor.execute(
            """
            UPDATE subsidies_batch b SET status = 'reconciled'
            WHERE b.status = 'exported' AND b.id IN (SELECT p.batch_id FROM subsidies_payment p JOIN bsu_result r
              ON r.reference = p.reference)
              AND NOT EXISTS (SELECT 1 FROM subsidies_payment p WHERE p.batch_id = b.id AND p.status = 'sent')
            """
        )
        cursor.execute("DROP TABLE bsu_result")  # the caller's transaction may import several files
        result = {
            "lines": len(rows) + sum(1 for e in errors if e["code"] in UNREADABLE),
            "updated": updated,
            "unchanged": len(rows)
            - updated
            - sum(1 for e in errors if e["code"] in ("reference_unknown", "result_conflict")),
            "errors": sorted(errors, key=lambda e: e["line"]),
        }
        audit_record(
            actor=actor,
            action="bsu_results_import",
            entity="subsidies_payment",
            entity_id=None,
            channel=channel,
            detail={"file": file_name[:200], "updated": updated, "errors": len(errors)},
        )
    return result


def minimum_wage_set(
    *, actor: Any, region: str, year: int, amount: Decimal, legal_basis: str, source: str = "", channel: str = "page"
) -> None:
    """Record a UMP (province) or UMK (regency/city) for a year, with its decree."""
    from paritrana.regions.models import Region

    from .models import MinimumWage

    _may_write(actor, channel)
    found = Region.objects.filter(code=region.strip(), level__in=(1, 2)).first()
    if found is None:
        raise ValidationFailed([Problem("region_unknown", "Provinsi atau kabupaten/kota tidak dikenal.", "region")])
    if amount <= 0 or not legal_basis.strip():
        raise ValidationFailed(
            [Problem("minimum_wage_invalid", "Upah minimum dan dasar hukumnya wajib diisi.", "amount")]
        )
    with transaction.atomic():
        MinimumWage.objects.update_or_create(
            region=found, year=year, defaults={"amount": amount, "legal_basis": legal_basis.strip(), "source": source}
        )
        audit_record(
            actor=actor,
            action="bsu_minimum_wage_set",
            entity="subsidies_minimum_wage",
            entity_id=None,
            channel=channel,
            detail={"region": found.code, "year": year, "amount": str(amount)},
        )


ROUND_FIELDS = (
    "name",
    "legal_basis",
    "source",
    "note",
    "monthly_amount",
    "months",
    "instalments",
    "active_on",
    "wage_ceiling",
    "ceiling_inclusive",
    "minimum_wage_year",
    "segments",
    "provinces_excluded",
    "regions_included",
    "sectors",
    "employer_kinds_excluded",
    "exclusion_kinds",
    "channels",
)


def round_define(*, actor: Any, code: str, terms: RoundIn | Mapping[str, Any], channel: str = "page") -> Round:
    """Define a new round, or change a round not yet approved (it then needs computing again). Terms
    not given keep their value (for a new round: those of ``terms["copy_of"]`` when named). Every
    invalid term is reported at once."""
    from paritrana.regions.models import Region
    from paritrana.registry.models import EmployerKind, Segment
    from paritrana.registry.rules.codes import SECTORS

    _may_write(actor, channel)
    typed = terms if isinstance(terms, RoundIn) else read_values(RoundIn, terms, labels=ROUND_LABELS)
    given = typed.model_dump(exclude_none=True)
    code = code.strip().upper()
    problems: list[Problem] = []
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9-]{2,23}", code):
        problems.append(Problem("code_invalid", "Kode putaran 3–24 huruf besar, angka atau tanda hubung.", "code"))
    with transaction.atomic():
        round_ = Round.objects.select_for_update().filter(code=code).first()
        template = Round.objects.filter(code=str(given.get("copy_of", "")).strip().upper()).first()
        if round_ is not None and round_.status == RoundStatus.APPROVED:
            raise ValidationFailed([Problem("round_approved", "Putaran sudah disetujui; syaratnya tetap.", None)])
        values = {f: getattr(round_ or template, f) for f in ROUND_FIELDS} if (round_ or template) else {}
        values.update({k: v for k, v in given.items() if k in ROUND_FIELDS and v is not None})
        if values.get("minimum_wage_year") in ("", 0):
            values["minimum_wage_year"] = None
        lists = {
            "segments": set(Segment.values),
            "sectors": set(SECTORS),
            "employer_kinds_excluded": set(EmployerKind.values),
            "exclusion_kinds": set(ListKind.values),
            "channels": set(Channel.values),
        }
        for name, allowed in lists.items():
            values[name] = [str(v).strip().upper() if name in ("segments", "sectors", "channels") else str(v).strip()
                            for v in values.get(name) or [] if str(v).strip()]  # fmt: skip
            unknown = [v for v in values[name] if v not in allowed]
            if unknown:
                problems.append(Problem(f"{name}_unknown", f"Tidak dikenal: {', '.join(unknown)}.", name))
        for name in ("provinces_excluded", "regions_included"):
            values[name] = [str(v).strip() for v in values.get(name) or [] if str(v).strip()]
            known = set(Region.objects.filter(code__in=values[name], level__lte=2).values_list("code", flat=True))
            unknown = [v for v in values[name] if v not in known]
            if unknown:
                problems.append(Problem("region_unknown", f"Wilayah tidak dikenal: {', '.join(unknown)}.", name))
        for name, most in (("name", 200), ("legal_basis", 200), ("source", 300)):
            if len(str(values.get(name) or "")) > most:
                problems.append(Problem("too_long", f"Paling panjang {most} karakter.", name))
        year = values.get("minimum_wage_year")
        if year is not None and not 2000 <= int(year) <= 2100:
            problems.append(Problem("year_invalid", "Tahun UMP/UMK antara 2000 dan 2100.", "minimum_wage_year"))
        if values.get("active_on") and not date(2000, 1, 1) <= values["active_on"] <= date(2100, 12, 31):
            problems.append(Problem("date_invalid", "Tanggal acuan antara 2000 dan 2100.", "active_on"))
        for name, label in (("name", "Nama"), ("legal_basis", "Dasar hukum"), ("active_on", "Tanggal acuan")):
            if not values.get(name):
                problems.append(Problem("required", f"{label} wajib diisi.", name))
        if not values.get("segments"):
            problems.append(Problem("required", "Paling sedikit satu segmen.", "segments"))
        if not values.get("channels"):
            problems.append(Problem("required", "Paling sedikit satu penyalur.", "channels"))
        try:
            amount, months = Decimal(values.get("monthly_amount") or 0), int(values.get("months") or 0)
            instalments, ceiling = int(values.get("instalments") or 1), Decimal(values.get("wage_ceiling") or 0)
            if not (0 < amount < 10**12 and 0 < ceiling < 10**12 and 0 < months <= 120 and 0 < instalments <= 12):
                raise ValueError
            if (amount * months) % instalments:
                problems.append(Problem("instalments_uneven", "Besaran tidak terbagi rata ke tahap.", "instalments"))
        except (ValueError, ArithmeticError):
            problems.append(
                Problem(
                    "amount_invalid",
                    "Besaran dan batas upah harus rupiah positif; bulan 1–120, tahap 1–12.",
                    "monthly_amount",
                )
            )
        if problems:
            raise ValidationFailed(problems)
        values.update(monthly_amount=amount, months=months, instalments=instalments, wage_ceiling=ceiling)
        if round_ is None:
            round_ = Round.objects.create(code=code, **values)
            action = "bsu_define"
        else:
            for name, value in values.items():
                setattr(round_, name, value)
            round_.status, round_.counts = RoundStatus.DRAFT, {}
            round_.save()
            # The decisions followed the old terms: gone until the round is computed again.
            Decision.objects.filter(round=round_).delete()
            action = "bsu_change"
        audit_record(
            actor=actor,
            action=action,
            entity="subsidies_round",
            entity_id=round_.pk,
            channel=channel,
            detail={k: str(v) for k, v in values.items()},
        )
    return round_
