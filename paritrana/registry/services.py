"""Writes to the registry: atomic, audited, scoped, every problem reported at once.

Each write runs in one transaction that also sets ``paritrana.actor_id`` (read by the history
trigger) and writes its audit row, so a failed write leaves nothing behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from paritrana.accounts.scope import Scope, scope_for
from paritrana.core.actors import acting_user, set_database_actor
from paritrana.core.audit import audit_record
from paritrana.core.distribute import NIK_DIRECTORY, is_distributed
from paritrana.core.errors import PermissionDenied, Problem, ValidationFailed
from paritrana.core.periods import parse_iso_date
from paritrana.regions.models import Branch, Region
from paritrana.regions.rules.nik import parse_nik
from paritrana.regions.selectors import region_lookup

from . import selectors
from .models import (
    DisabilityKind,
    Employer,
    EmployerKind,
    EmployerScale,
    EndReason,
    Membership,
    MembershipStatus,
    Person,
    Segment,
    Sponsor,
    SponsorKind,
    WageChange,
)
from .rules.codes import DEFAULT_PROGRAMMES, MEMBERSHIP_TAGS, PROGRAMMES, SECTORS
from .rules.names import normalise_spaces, same_name, split_titles


def _set_actor(actor: Any) -> None:
    with connection.cursor() as cursor:
        set_database_actor(cursor, getattr(acting_user(actor), "pk", None))


def _require_write(scope: Scope) -> None:
    if not scope.can_write:
        raise PermissionDenied()


@dataclass
class _Problems:
    items: list[Problem]

    def add(self, code: str, message: str, field: str | None = None) -> None:
        self.items.append(Problem(code, message, field))

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed(list(self.items))


def _parse_date(value: Any, field: str, problems: _Problems, label: str) -> date | None:
    if value in (None, ""):
        return None
    day = parse_iso_date(value)
    if day is None:
        problems.add("date_invalid", f"{label} harus berformat YYYY-MM-DD.", field)
    return day


def _village(code: str, problems: _Problems) -> Region | None:
    code = (code or "").strip()
    if not code:
        problems.add("required", "Desa/kelurahan wajib diisi.", "village_code")
        return None
    village = Region.objects.filter(code=code, level=4).first()
    if village is None:
        problems.add("region_unknown", f"Kode desa/kelurahan {code} tidak dikenal (Kepmendagri 2025).", "village_code")
    return village


def _person_fields(data: dict[str, Any], problems: _Problems, *, today: date, partial: bool) -> dict[str, Any]:
    """Validate person fields; returns clean values for the fields present."""
    clean: dict[str, Any] = {}
    if "full_name" in data or not partial:
        prefix, name, suffix = split_titles(str(data.get("full_name") or ""))
        if not name:
            problems.add("required", "Nama lengkap wajib diisi.", "full_name")
        elif len(name) > 150:
            problems.add("too_long", "Nama lengkap paling panjang 150 karakter.", "full_name")
        clean["full_name"] = name
        clean["title_prefix"] = normalise_spaces(str(data.get("title_prefix") or prefix))
        clean["title_suffix"] = normalise_spaces(str(data.get("title_suffix") or suffix))
    if "birth_date" in data or not partial:
        born = _parse_date(data.get("birth_date"), "birth_date", problems, "Tanggal lahir")
        if born is None and not any(p.field == "birth_date" for p in problems.items):
            problems.add("required", "Tanggal lahir wajib diisi.", "birth_date")
        elif born is not None and born > today:
            problems.add("birth_date_future", "Tanggal lahir tidak boleh di masa depan.", "birth_date")
        clean["birth_date"] = born
    if "sex" in data or not partial:
        sex = str(data.get("sex") or "").upper()
        if sex not in ("L", "P"):
            problems.add("sex_invalid", "Jenis kelamin harus L (laki-laki) atau P (perempuan).", "sex")
        clean["sex"] = sex
    if "village_code" in data or not partial:
        village = _village(str(data.get("village_code") or ""), problems)
        if village is not None:
            clean["village"] = village
            clean["regency_id"] = village.code[:5]
            clean["province_id"] = village.code[:2]
    if "disability" in data or "disability_kind" in data:
        kind = str(data.get("disability_kind") or "")
        disability = bool(data.get("disability")) or bool(kind)
        if kind and kind not in DisabilityKind.values:
            problems.add("disability_kind_invalid", "Ragam disabilitas tidak dikenal.", "disability_kind")
        clean["disability"], clean["disability_kind"] = disability, kind
    for name, limit in (("phone", 20), ("address", 200), ("birth_place", 80)):
        if name in data:
            value = normalise_spaces(str(data.get(name) or ""))
            if len(value) > limit:
                problems.add("too_long", f"Isian {name} paling panjang {limit} karakter.", name)
            clean[name] = value
    return clean


def _check_nik(nik_raw: str, clean: dict[str, Any], problems: _Problems, *, today: date) -> str | None:
    result = parse_nik(
        nik_raw,
        regions=region_lookup(),
        today=today,
        declared_birth_date=clean.get("birth_date"),
        declared_sex=clean.get("sex") if clean.get("sex") in ("L", "P") else None,
    )
    for issue in result.errors:
        problems.add(issue.code, issue.message, "nik")
    return result.nik if result.valid else None


def person_create(*, actor: Any, channel: str = "page", **data: Any) -> Person:
    """Register a person. Rejects, all at once: a malformed or inconsistent NIK, a NIK already
    registered, an unknown village, a future birth date, a missing name."""
    scope = scope_for(actor)
    _require_write(scope)
    today = timezone.localdate()
    problems = _Problems([])
    clean = _person_fields(data, problems, today=today, partial=False)
    nik = _check_nik(str(data.get("nik") or ""), clean, problems, today=today)
    if nik is not None and Person.objects.filter(nik=nik).exists():
        # A registry must say so, or the same person is registered twice; the answer tells the caller
        # that a NIK they typed exists, so every such refusal is in the audit trail.
        problems.add("nik_duplicate", "NIK ini sudah terdaftar.", "nik")
        audit_record(actor=actor, action="person_create_duplicate_refused", entity="person", channel=channel)
    if scope.is_regional and clean.get("regency_id") and not scope.covers_regency(clean["regency_id"]):
        problems.add("region_out_of_scope", "Desa/kelurahan berada di luar wilayah kewenangan Anda.", "village_code")
    problems.raise_if_any()
    try:
        with transaction.atomic():
            _set_actor(actor)
            assert nik is not None
            person = Person.objects.create(nik=nik, **clean)
            _nik_directory_write(person.pk, new=nik)
            audit_record(actor=actor, action="person_create", entity="person", entity_id=person.pk, channel=channel)
    except IntegrityError as exc:  # a concurrent registration of the same NIK
        raise ValidationFailed([Problem("nik_duplicate", "NIK ini sudah terdaftar.", "nik")]) from exc
    return person


def _nik_directory_write(person_id: int, *, new: str, old: str | None = None) -> None:
    """On a Citus cluster, where persons are distributed by id and their NIK cannot be a unique key,
    the NIK directory (core/distribute.py) holds it: written in the person's transaction, its key
    refuses a NIK registered twice (an IntegrityError, as the unique key raises on one server)."""
    with connection.cursor() as cursor:
        if not is_distributed(cursor, NIK_DIRECTORY):
            return
        if old is not None:
            # The NIK is the directory's distribution column: a changed NIK is a row moved, not updated.
            cursor.execute(f"DELETE FROM {NIK_DIRECTORY} WHERE nik = %s AND person_id = %s", (old, person_id))
        cursor.execute(f"INSERT INTO {NIK_DIRECTORY} (nik, person_id) VALUES (%s, %s)", (new, person_id))


def person_update(*, actor: Any, person_id: int, channel: str = "page", **data: Any) -> Person:
    """Change a person's record. The NIK itself changes only by the national administrator."""
    scope = scope_for(actor)
    _require_write(scope)
    person = selectors.person_get(user=actor, person_id=person_id, channel=channel, log_view=False)
    today = timezone.localdate()
    problems = _Problems([])
    clean = _person_fields(data, problems, today=today, partial=True)
    if "nik" in data and str(data["nik"]) != person.nik:
        if not scope.everything:
            problems.add("nik_immutable", "NIK hanya dapat diubah oleh administrator nasional.", "nik")
        else:
            merged = {
                "birth_date": clean.get("birth_date", person.birth_date),
                "sex": clean.get("sex", person.sex),
            }
            nik = _check_nik(str(data["nik"]), merged, problems, today=today)
            if nik is not None and Person.objects.filter(nik=nik).exclude(pk=person.pk).exists():
                problems.add("nik_duplicate", "NIK ini sudah terdaftar.", "nik")
            clean["nik"] = nik
    elif "birth_date" in clean or "sex" in clean:
        merged = {
            "birth_date": clean.get("birth_date", person.birth_date),
            "sex": clean.get("sex", person.sex),
        }
        _check_nik(person.nik, merged, problems, today=today)
    if scope.is_regional and "regency_id" in clean and not scope.covers_regency(clean["regency_id"]):
        problems.add("region_out_of_scope", "Desa/kelurahan berada di luar wilayah kewenangan Anda.", "village_code")
    problems.raise_if_any()
    with transaction.atomic():
        _set_actor(actor)
        locked = Person.objects.select_for_update().get(pk=person.pk)
        changed = {
            k: v
            for k, v in clean.items()
            if getattr(locked, k if k != "village" else "village_id") != (v.pk if isinstance(v, Region) else v)
        }
        old_nik = locked.nik
        for key, value in clean.items():
            setattr(locked, key, value)
        locked.save()
        if locked.nik != old_nik:
            _nik_directory_write(locked.pk, new=locked.nik, old=old_nik)
        audit_record(
            actor=actor,
            action="person_update",
            entity="person",
            entity_id=locked.pk,
            channel=channel,
            detail={"fields": sorted(changed)},
        )
    return locked


def _choice(value: Any, choices: list[str], field: str, label: str, problems: _Problems) -> str:
    text = str(value or "")
    if text not in choices:
        problems.add(f"{field}_invalid", f"{label} tidak dikenal: {text or '(kosong)'}.", field)
    return text


def _regency(code: Any, problems: _Problems, field: str = "regency_code") -> Region | None:
    text = str(code or "").strip()
    region = Region.objects.filter(code=text, level=2).first() if text else None
    if region is None:
        problems.add("region_unknown", f"Kode kabupaten/kota {text or '(kosong)'} tidak dikenal.", field)
    return region


def _next_npp() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('registry_npp_seq')")
        (value,) = cursor.fetchone()
    return f"{value:08d}"


def _next_kpj() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT registry_kpj_from_serial(nextval('registry_kpj_seq'))")
        (value,) = cursor.fetchone()
    return str(value)


def employer_create(*, actor: Any, channel: str = "page", **data: Any) -> Employer:
    scope = scope_for(actor)
    if not (scope.everything or scope.is_regional):
        raise PermissionDenied("Hanya petugas BPJS atau wilayah yang dapat mendaftarkan pemberi kerja.")
    problems = _Problems([])
    name = normalise_spaces(str(data.get("name") or ""))
    if not name:
        problems.add("required", "Nama pemberi kerja wajib diisi.", "name")
    kind = _choice(data.get("kind"), EmployerKind.values, "kind", "Jenis pemberi kerja", problems)
    scale = _choice(data.get("scale"), EmployerScale.values, "scale", "Skala usaha", problems)
    sector = _choice(data.get("sector"), list(SECTORS), "sector", "Sektor KBLI", problems)
    risk = data.get("jkk_risk_group")
    if not isinstance(risk, int) or not 1 <= risk <= 5:
        # PP 44/2015 Lampiran I: five risk groups.
        problems.add("jkk_risk_group_invalid", "Kelompok risiko JKK harus 1 sampai 5.", "jkk_risk_group")
    regency = _regency(data.get("regency_code"), problems)
    if regency is not None and scope.is_regional and not scope.covers_regency(regency.code):
        problems.add("region_out_of_scope", "Kabupaten/kota berada di luar wilayah kewenangan Anda.", "regency_code")
    npp = str(data.get("npp") or "").strip()
    if npp and (len(npp) != 8 or not npp.isdigit()):
        problems.add("npp_format", "NPP harus 8 digit angka.", "npp")
    elif npp and Employer.objects.filter(npp=npp).exists():
        problems.add("npp_duplicate", "NPP ini sudah terdaftar.", "npp")
    problems.raise_if_any()
    assert regency is not None and isinstance(risk, int)
    branch = _branch_of(regency.code)
    with transaction.atomic():
        _set_actor(actor)
        employer = Employer.objects.create(
            npp=npp or _next_npp(),
            name=name,
            kind=kind,
            scale=scale,
            sector=sector,
            jkk_risk_group=risk,
            address=normalise_spaces(str(data.get("address") or "")),
            regency=regency,
            province_id=regency.code[:2],
            branch=branch,
        )
        audit_record(actor=actor, action="employer_create", entity="employer", entity_id=employer.pk, channel=channel)
    return employer


def _branch_of(regency_code: str) -> Branch | None:
    return Branch.objects.filter(regencies__code=regency_code).first()


EMPLOYER_EDITABLE = ("name", "scale", "sector", "jkk_risk_group", "address")


def employer_update(*, actor: Any, employer_id: int, channel: str = "page", **data: Any) -> Employer:
    scope = scope_for(actor)
    if not (scope.everything or scope.is_regional):
        raise PermissionDenied()
    employer = selectors.employer_get(user=actor, employer_id=employer_id)
    problems = _Problems([])
    clean: dict[str, Any] = {}
    if "name" in data:
        clean["name"] = normalise_spaces(str(data["name"] or ""))
        if not clean["name"]:
            problems.add("required", "Nama pemberi kerja wajib diisi.", "name")
    if "scale" in data:
        clean["scale"] = _choice(data["scale"], EmployerScale.values, "scale", "Skala usaha", problems)
    if "sector" in data:
        clean["sector"] = _choice(data["sector"], list(SECTORS), "sector", "Sektor KBLI", problems)
    if "jkk_risk_group" in data:
        if not isinstance(data["jkk_risk_group"], int) or not 1 <= data["jkk_risk_group"] <= 5:
            problems.add("jkk_risk_group_invalid", "Kelompok risiko JKK harus 1 sampai 5.", "jkk_risk_group")
        clean["jkk_risk_group"] = data["jkk_risk_group"]
    if "address" in data:
        clean["address"] = normalise_spaces(str(data["address"] or ""))
    problems.raise_if_any()
    with transaction.atomic():
        _set_actor(actor)
        for key, value in clean.items():
            setattr(employer, key, value)
        employer.save()
        audit_record(
            actor=actor,
            action="employer_update",
            entity="employer",
            entity_id=employer.pk,
            channel=channel,
            detail={"fields": sorted(clean)},
        )
    return employer


def sponsor_create(*, actor: Any, channel: str = "page", **data: Any) -> Sponsor:
    scope = scope_for(actor)
    if not (scope.everything or scope.is_regional):
        raise PermissionDenied("Hanya petugas BPJS atau wilayah yang dapat mendaftarkan penanggung iuran.")
    problems = _Problems([])
    name = normalise_spaces(str(data.get("name") or ""))
    if not name:
        problems.add("required", "Nama penanggung iuran wajib diisi.", "name")
    kind = _choice(data.get("kind"), SponsorKind.values, "kind", "Jenis penanggung iuran", problems)
    code = str(data.get("region_code") or "").strip()
    region = Region.objects.filter(code=code).first() if code else None
    if region is None:
        problems.add("region_unknown", f"Kode wilayah {code or '(kosong)'} tidak dikenal.", "region_code")
    elif scope.is_regional and not (scope.covers_regency(code[:5]) if len(code) >= 5 else False):
        problems.add("region_out_of_scope", "Wilayah berada di luar kewenangan Anda.", "region_code")
    employer_id = data.get("employer_id")
    if employer_id is not None and not selectors.employer_list(user=actor).filter(pk=employer_id).exists():
        # The employer a sponsor is tied to must be one the officer may see: no linking across regions.
        problems.add("employer_unknown", "Pemberi kerja tidak ditemukan atau di luar wewenang Anda.", "employer_id")
    sponsor_code = str(data.get("code") or "").strip().upper()
    if not sponsor_code:
        problems.add("required", "Kode penanggung iuran wajib diisi.", "code")
    elif Sponsor.objects.filter(code=sponsor_code).exists():
        problems.add("code_duplicate", "Kode penanggung iuran sudah dipakai.", "code")
    problems.raise_if_any()
    assert region is not None
    regency_code = region.code[:5] if region.level >= 2 else None
    with transaction.atomic():
        _set_actor(actor)
        sponsor = Sponsor.objects.create(
            code=sponsor_code,
            name=name,
            kind=kind,
            region=region,
            regency_id=regency_code,
            province_id=region.code[:2],
            branch=_branch_of(regency_code) if regency_code else None,
            employer_id=employer_id,
        )
        audit_record(actor=actor, action="sponsor_create", entity="sponsor", entity_id=sponsor.pk, channel=channel)
    return sponsor


MONEY_LIMIT = Decimal(10) ** 15


def _money(value: Any, field: str, label: str, problems: _Problems) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        problems.add("amount_invalid", f"{label} harus angka rupiah.", field)
        return None
    # The columns hold 18 digits with 2 decimals; anything beyond a quadrillion rupiah is a typing error.
    if not amount.is_finite() or amount < 0 or amount >= MONEY_LIMIT or amount != amount.quantize(Decimal("0.01")):
        problems.add("amount_invalid", f"{label} harus angka rupiah tidak negatif di bawah 1 kuadriliun.", field)
        return None
    return amount


IDENTITY_UNKNOWN = (
    "Tidak ada orang terdaftar dengan NIK, nama, dan tanggal lahir ini. Periksa KTP-nya, atau daftarkan "
    "orangnya lebih dulu."
)


def _person_to_enrol(*, actor: Any, data: dict[str, Any], problems: _Problems, channel: str) -> Person | None:
    """The person a new membership is for: by internal id only when the caller may already see the
    person; otherwise by what the worker's identity card shows — NIK, name and birth date that agree.

    A new hire often already has a KPJ from an earlier employer, so an existing person must be
    enrollable; but an id is not proof of knowing anyone, and enrolling would otherwise pull any
    person into the caller's scope. Every failure reads the same, so an answer never tells whether a
    NIK or an id exists."""
    if data.get("person_id"):
        person = selectors.persons_visible(user=actor).filter(pk=data["person_id"]).first()
        if person is None:
            problems.add("person_unknown", "Orang tidak ditemukan atau di luar wewenang Anda.", "person_id")
        return person
    nik = str(data.get("nik") or "").strip()
    if not nik:
        problems.add("required", "NIK (beserta nama dan tanggal lahir sesuai KTP) wajib diisi.", "nik")
        return None
    born = _parse_date(data.get("birth_date"), "birth_date", problems, "Tanggal lahir")
    person = Person.objects.filter(nik=nik).first()
    if person is None or born != person.birth_date or not same_name(str(data.get("full_name") or ""), person.full_name):
        problems.add("person_identity_mismatch", IDENTITY_UNKNOWN, "nik")
        audit_record(actor=actor, action="person_identity_refused", entity="person", channel=channel)
        return None
    return person


def membership_create(*, actor: Any, channel: str = "page", **data: Any) -> Membership:
    """Register a person with an employer or a sponsor in one segment; the KPJ number is issued
    from the database sequence (``registry_kpj_from_serial``, Luhn-checked). The person is named by
    ``person_id`` when already visible to the caller, otherwise by ``nik``, ``full_name`` and
    ``birth_date`` as on the identity card (``_person_to_enrol``)."""
    scope = scope_for(actor)
    _require_write(scope)
    problems = _Problems([])
    person = _person_to_enrol(actor=actor, data=data, problems=problems, channel=channel)
    employer = Employer.objects.filter(pk=data["employer_id"]).first() if data.get("employer_id") else None
    sponsor = Sponsor.objects.filter(pk=data["sponsor_id"]).first() if data.get("sponsor_id") else None
    if data.get("employer_id") and employer is None:
        problems.add("employer_unknown", "Pemberi kerja tidak ditemukan.", "employer_id")
    if data.get("sponsor_id") and sponsor is None:
        problems.add("sponsor_unknown", "Penanggung iuran tidak ditemukan.", "sponsor_id")
    segment = _choice(data.get("segment"), Segment.values, "segment", "Segmen", problems)
    if segment in ("PU", "JAKON") and not data.get("employer_id"):
        problems.add(
            "employer_required",
            "Peserta PU dan Jasa Konstruksi didaftarkan oleh pemberi kerja.",
            "employer_id",
        )
    if scope.employer_id is not None and (employer is None or employer.pk != scope.employer_id):
        problems.add("payer_out_of_scope", "Anda hanya dapat mendaftarkan pekerja pemberi kerja Anda.", "employer_id")
    if scope.sponsor_id is not None and (sponsor is None or sponsor.pk != scope.sponsor_id):
        problems.add("payer_out_of_scope", "Anda hanya dapat mendaftarkan peserta penanggung iuran Anda.", "sponsor_id")
    tags = list(dict.fromkeys(data.get("tags") or []))
    unknown_tags = [t for t in tags if t not in MEMBERSHIP_TAGS]
    if unknown_tags:
        problems.add("tag_unknown", f"Tanda tidak dikenal: {', '.join(unknown_tags)}.", "tags")
    programmes = list(dict.fromkeys(data.get("programmes") or DEFAULT_PROGRAMMES.get(segment, ["JKK", "JKM"])))
    if [p for p in programmes if p not in PROGRAMMES]:
        problems.add("programme_unknown", "Program tidak dikenal.", "programmes")
    if segment != "PU" and "JP" in programmes:
        problems.add("programme_not_open", "Program JP hanya untuk peserta Penerima Upah (PP 45/2015).", "programmes")
    wage = _money(data.get("wage"), "wage", "Upah", problems)
    income = _money(data.get("declared_income"), "declared_income", "Penghasilan", problems)
    if segment == "PU" and wage is None:
        problems.add("required", "Upah wajib diisi untuk peserta Penerima Upah.", "wage")
    if segment == "BPU" and income is None:
        problems.add("required", "Penghasilan wajib diisi untuk peserta Bukan Penerima Upah.", "declared_income")
    today = timezone.localdate()
    valid_from = _parse_date(data.get("valid_from"), "valid_from", problems, "Tanggal mulai") or today
    valid_until = _parse_date(data.get("valid_until"), "valid_until", problems, "Tanggal akhir")
    if valid_until is not None and valid_until < valid_from:
        problems.add("date_range_invalid", "Tanggal akhir tidak boleh sebelum tanggal mulai.", "valid_until")
    payer_regency = employer.regency_id if employer else (sponsor.regency_id or None) if sponsor else None
    if payer_regency is None and person is not None:
        # A provincial sponsor or a self-paying participant: administered where the person lives.
        payer_regency = person.regency_id
    if scope.is_regional and payer_regency and not scope.covers_regency(payer_regency):
        problems.add("region_out_of_scope", "Pemberi kerja/penanggung di luar wilayah kewenangan Anda.", "employer_id")
    if (
        person is not None
        and (employer or sponsor)
        and segment
        and Membership.objects.filter(person=person, employer=employer, sponsor=sponsor, segment=segment)
        .exclude(status=MembershipStatus.ENDED)
        .exists()
    ):
        problems.add(
            "already_enrolled",
            "Orang ini sudah terdaftar aktif pada pemberi kerja/penanggung ini.",
            "person_id",
        )
    if payer_regency is None and person is not None:
        problems.add("person_unknown", "Orang tidak ditemukan.", "person_id")
    problems.raise_if_any()
    assert payer_regency is not None
    with transaction.atomic():
        _set_actor(actor)
        membership = Membership(
            kpj=_next_kpj(),
            person=person,
            employer=employer,
            sponsor=sponsor,
            segment=segment,
            tags=tags,
            programmes=programmes,
            wage=wage,
            declared_income=income,
            valid_from=valid_from,
            valid_until=valid_until,
            regency_id=payer_regency,
        )
        membership.save()
        audit_record(
            actor=actor,
            action="membership_create",
            entity="membership",
            entity_id=membership.pk,
            channel=channel,
            detail={"kpj": membership.kpj, "segment": segment},
        )
    return membership


def membership_end(
    *, actor: Any, membership_id: int, valid_until: date, reason: str = "", channel: str = "page"
) -> Membership:
    """End a membership on ``valid_until`` for ``reason`` (EndReason: resigned, dismissed, contract
    ended, retired, died, other); the API may leave the reason out, the page asks for it."""
    scope = scope_for(actor)
    _require_write(scope)
    membership = selectors.membership_get(user=actor, membership_id=membership_id)
    problems = []
    if valid_until < membership.valid_from:
        problems.append(
            Problem("date_range_invalid", "Tanggal akhir tidak boleh sebelum tanggal mulai.", "valid_until")
        )
    if reason and reason not in EndReason.values:
        problems.append(Problem("end_reason_unknown", "Alasan berakhir bukan pilihan yang tersedia.", "reason"))
    if membership.status == MembershipStatus.ENDED:
        problems.append(Problem("membership_ended", "Kepesertaan ini sudah berakhir.", None))
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        _set_actor(actor)
        membership.valid_until = valid_until
        membership.status = MembershipStatus.ENDED
        membership.end_reason = reason
        membership.save()
        audit_record(
            actor=actor,
            action="membership_end",
            entity="membership",
            entity_id=membership.pk,
            channel=channel,
            detail={"valid_until": valid_until.isoformat(), "reason": reason},
        )
    return membership


WAGE_SEGMENTS = (Segment.PU, Segment.JAKON)


def wage_changes_record(
    *, actor: Any, month: date, wages: dict[int, Decimal], open_from: dict[int, date], channel: str = "page"
) -> list[WageChange]:
    """Record the wages reported from ``month`` on (its first day) for memberships the actor may
    write: ``wages`` maps a membership to its new wage; ``open_from`` maps it to the first month not
    yet billed (the caller, contributions, knows the bills). Every problem comes back at once, each
    named ``wage-<membership id>``; nothing is written unless every row passes.

    A wage already reported for the same month is replaced; a month before the latest change is
    refused, so the chain of ``previous_wage`` stays in month order (models.WageChange).
    """
    scope = scope_for(actor)
    _require_write(scope)
    month = month.replace(day=1)
    visible = {m.pk: m for m in selectors.membership_list(user=actor).filter(pk__in=list(wages))}
    latest = dict(
        WageChange.objects.filter(membership_id__in=list(visible))
        .order_by("membership_id", "-effective_from")
        .distinct("membership_id")
        .values_list("membership_id", "effective_from")
    )
    problems = _Problems([])
    if not wages:
        problems.add("wage_report_empty", "Tidak ada upah yang berubah.", None)
    for membership_id, wage in wages.items():
        field = f"wage-{membership_id}"
        membership = visible.get(membership_id)
        if membership is None:
            problems.add("membership_unknown", "Kepesertaan tidak ditemukan atau di luar wewenang Anda.", field)
            continue
        if scope.employer_id is not None and membership.employer_id != scope.employer_id:
            problems.add("payer_out_of_scope", "Hanya upah pekerja pemberi kerja Anda.", field)
        if membership.segment not in WAGE_SEGMENTS:
            problems.add(
                "wage_not_for_segment",
                f"{membership.kpj}: upah hanya untuk peserta Penerima Upah/Jasa Konstruksi.",
                field,
            )
        if membership.status == MembershipStatus.ENDED:
            problems.add("membership_ended", f"{membership.kpj}: kepesertaan sudah berakhir.", field)
        if wage <= 0 or wage >= MONEY_LIMIT or wage != wage.quantize(Decimal("0.01")):
            problems.add("amount_invalid", f"{membership.kpj}: upah harus angka rupiah lebih dari nol.", field)
        first_open = open_from.get(membership_id, membership.valid_from.replace(day=1))
        if month < first_open:
            problems.add(
                "wage_month_billed",
                f"{membership.kpj}: bulan {month:%m/%Y} sudah ditagih; perubahan upah berlaku paling cepat "
                f"{first_open:%m/%Y}.",
                field,
            )
        if membership_id in latest and month < latest[membership_id]:
            problems.add(
                "wage_change_order",
                f"{membership.kpj}: sudah ada perubahan upah mulai {latest[membership_id]:%m/%Y}.",
                field,
            )
    problems.raise_if_any()
    recorded = []
    with transaction.atomic():
        _set_actor(actor)
        actor_id = getattr(acting_user(actor), "pk", None)
        for membership_id, wage in wages.items():
            # Locked by id and person: on a Citus cluster a row lock must name the shard (the person).
            membership = Membership.objects.select_for_update().get(
                pk=membership_id, person_id=visible[membership_id].person_id
            )
            change = WageChange.objects.filter(membership_id=membership_id, effective_from=month).first()
            if change is None:
                change = WageChange(
                    membership_id=membership_id,
                    person_id=membership.person_id,
                    effective_from=month,
                    previous_wage=membership.wage,
                )
            change.wage, change.reported_by_id = wage, actor_id
            change.save()
            membership.wage = wage
            membership.save(update_fields=["wage", "updated_at"])
            recorded.append(change)
        audit_record(
            actor=actor,
            action="wage_report",
            entity="membership",
            entity_id=recorded[0].membership_id if len(recorded) == 1 else "",
            channel=channel,
            detail={"month": f"{month:%Y-%m}", "memberships": sorted(wages)},
        )
    return recorded


def membership_move(*, actor: Any, membership_id: int, npp: str, channel: str = "page") -> Membership:
    """A worker taken over by another employer (a transfer within a group, an outsourcing contract
    changing hands): the membership keeps its KPJ and with it the JHT account and its months, and
    is billed to the new employer from the first month not yet billed (bills already issued stay
    with the old one). Staff only: neither employer's HR sees both sides. History keeps the old
    employer (the change_history trigger)."""
    scope = scope_for(actor)
    if not (scope.everything or scope.is_regional):
        raise PermissionDenied("Pemindahan pekerja antar pemberi kerja dilakukan oleh petugas BPJS Ketenagakerjaan.")
    membership = selectors.membership_get(user=actor, membership_id=membership_id)
    problems = _Problems([])
    target = selectors.employer_list(user=actor).filter(npp=npp.strip()).first()
    if target is None:
        problems.add(
            "employer_unknown", f"Pemberi kerja dengan NPP {npp.strip() or '(kosong)'} tidak ditemukan.", "npp"
        )
    elif target.pk == membership.employer_id:
        problems.add("employer_same", "Pekerja sudah terdaftar pada pemberi kerja ini.", "npp")
    if membership.segment not in WAGE_SEGMENTS or membership.employer_id is None:
        problems.add(
            "move_not_for_segment", "Hanya peserta Penerima Upah/Jasa Konstruksi yang pindah pemberi kerja.", None
        )
    if membership.status == MembershipStatus.ENDED:
        problems.add("membership_ended", "Kepesertaan ini sudah berakhir.", None)
    if (
        target is not None
        and Membership.objects.filter(person_id=membership.person_id, employer=target, segment=membership.segment)
        .exclude(status=MembershipStatus.ENDED)
        .exists()
    ):
        problems.add("already_enrolled", "Orang ini sudah terdaftar aktif pada pemberi kerja tujuan.", "npp")
    problems.raise_if_any()
    assert target is not None
    old_employer = membership.employer_id
    with transaction.atomic():
        _set_actor(actor)
        membership.employer = target
        membership.regency_id = target.regency_id
        membership.save(update_fields=["employer", "regency", "updated_at"])
        audit_record(
            actor=actor,
            action="membership_move",
            entity="membership",
            entity_id=membership.pk,
            channel=channel,
            detail={"from_employer": old_employer, "to_employer": target.pk, "kpj": membership.kpj},
        )
    return membership


PHONE = re.compile(r"^\+?[0-9][0-9 \-]{6,18}[0-9]$")


def contact_update_own(*, actor: Any, phone: str, address: str, channel: str = "page") -> Person:
    """A participant keeps their own phone number and address up to date (issue 27 §4); the NIK,
    name, birth date and village come from the identity card and change only at the branch."""
    scope = scope_for(actor)
    if scope.person_id is None:
        raise PermissionDenied("Hanya peserta yang mengubah data kontaknya sendiri.")
    problems = _Problems([])
    phone = normalise_spaces(phone)
    address = normalise_spaces(address)
    if phone and not PHONE.match(phone):
        problems.add("phone_invalid", "Nomor telepon hanya angka (boleh diawali +62), 8 sampai 20 karakter.", "phone")
    if len(address) > 200:
        problems.add("too_long", "Alamat paling panjang 200 karakter.", "address")
    problems.raise_if_any()
    with transaction.atomic():
        _set_actor(actor)
        person = Person.objects.select_for_update().get(pk=scope.person_id)
        changed = sorted(k for k, v in (("phone", phone), ("address", address)) if getattr(person, k) != v)
        person.phone, person.address = phone, address
        person.save(update_fields=["phone", "address", "updated_at"])
        audit_record(
            actor=actor,
            action="contact_update_own",
            entity="person",
            entity_id=person.pk,
            channel=channel,
            detail={"fields": changed},
        )
    return person
