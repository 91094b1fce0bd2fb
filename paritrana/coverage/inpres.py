"""Inpres 2/2021 follow-up (issue 6 §5; scenario S6): the addressees' actions with evidence, the
status matrix, and the six-monthly report to the President (Menko PMK reports every six months,
regulation.md §5). Reads and writes of the follow-up live here, apart from the coverage rollups."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import typst
from django.db import connection, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from paritrana.accounts.scope import scope_for
from paritrana.core import files as core_files
from paritrana.core.actors import acting_user
from paritrana.core.audit import audit_record
from paritrana.core.errors import NotFound, PermissionDenied, Problem, ValidationFailed
from paritrana.core.money import format_rupiah
from paritrana.core.periods import Semester
from paritrana.enrolment.models import SponsorBudget

from .models import ActionKind, Addressee, AddresseeKind, FollowUpAction, Instruction
from .selectors import latest_period, region_report, view_for

TEMPLATE = (Path(__file__).resolve().parent / "typst" / "inpres.typ").read_bytes()
FLAGS = ("regulation", "budget", "licensing", "registration")


def _addressees(user: Any) -> QuerySet[Addressee]:
    view = view_for(user)  # PermissionDenied for roles outside monitoring
    found = Addressee.objects.select_related("region")
    if view.provinces is None:
        return found
    regencies = view.regencies or frozenset()
    return found.filter(
        Q(kind=AddresseeKind.GOVERNOR, region_id__in=view.provinces)
        | Q(kind=AddresseeKind.REGENT, region_id__in=regencies)
    )


def _may_record(actor: Any, addressee: Addressee, channel: str) -> None:
    scope = scope_for(actor)
    if scope.everything:
        return
    if scope.is_regional and scope.can_write and addressee.region_id:
        code = addressee.region_id
        if (addressee.kind == AddresseeKind.GOVERNOR and code in scope.provinces) or (
            addressee.kind == AddresseeKind.REGENT and scope.covers_regency(code)
        ):
            return
    raise PermissionDenied("Anda tidak berwenang mencatat tindak lanjut penerima ini.")


def action_record(
    *,
    actor: Any,
    addressee_id: int,
    kind: str,
    taken_on: date,
    description: str,
    evidence: str,
    regulation_type: str = "",
    regulation_number: str = "",
    budget_year: int | None = None,
    budget_amount: Decimal | None = None,
    workers: int | None = None,
    evidence_upload: Any = None,
    channel: str = "page",
) -> FollowUpAction:
    addressee = Addressee.objects.filter(pk=addressee_id).first()
    if addressee is None:
        raise NotFound("Penerima Inpres")
    _may_record(actor, addressee, channel)
    problems = []
    if kind not in ActionKind.values:
        problems.append(Problem("kind_unknown", f"Jenis tindak lanjut: {', '.join(ActionKind.values)}.", "kind"))
    if not description.strip():
        problems.append(Problem("required", "Uraian wajib diisi.", "description"))
    if not evidence.strip() and evidence_upload is None:
        said = "Bukti (nomor dokumen, tautan, atau berkasnya) wajib diisi."
        problems.append(Problem("evidence_required", said, "evidence"))
    stored = None
    if evidence_upload is not None:
        try:
            stored = core_files.store(evidence_upload, actor=actor, field="evidence_file")
        except ValidationFailed as exc:
            problems += exc.problems
    if kind == ActionKind.REGULATION and not (regulation_type.strip() and regulation_number.strip()):
        problems.append(Problem("regulation_incomplete", "Regulasi memerlukan jenis dan nomor.", "regulation_number"))
    if kind == ActionKind.BUDGET and (budget_year is None or budget_amount is None or budget_amount <= 0):
        problems.append(Problem("budget_incomplete", "Anggaran memerlukan tahun dan jumlah rupiah.", "budget_amount"))
    if taken_on > timezone.localdate():
        problems.append(Problem("date_future", "Tanggal tindak lanjut tidak boleh di masa depan.", "taken_on"))
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        action = FollowUpAction.objects.create(
            addressee=addressee,
            kind=kind,
            taken_on=taken_on,
            description=description.strip()[:500],
            evidence=(evidence.strip() or (stored.original_name if stored else ""))[:500],
            evidence_file=stored,
            regulation_type=regulation_type.strip()[:60],
            regulation_number=regulation_number.strip()[:60],
            budget_year=budget_year,
            budget_amount=budget_amount,
            workers=workers,
            recorded_by=acting_user(actor),
        )
        audit_record(
            actor=actor,
            action="inpres_action",
            entity="followup_action",
            entity_id=action.pk,
            channel=channel,
            detail={"addressee": addressee.pk, "kind": kind},
        )
    return action


def _budgeted_regions(year: int) -> set[str]:
    """Regions whose APBD allocation for the year is recorded in the sponsor budgets (enrolment):
    the province for an APBD provinsi sponsor, the regency/city for an APBD kabupaten/kota one."""
    found = set()
    for kind, regency, province in SponsorBudget.objects.filter(year=year, allocation__gt=0).values_list(
        "sponsor__kind", "sponsor__regency_id", "sponsor__province_id"
    ):
        if kind == "apbd_province":
            found.add(province)
        elif kind == "apbd_regency" and regency:
            found.add(regency)
    return found


def matrix(*, user: Any, kind: str = "", province: str = "", year: int | None = None) -> dict[str, Any]:
    """Per addressee: the four things the Inpres asks (regulation, budget, PTSP licensing, registration)
    and whether each is evidenced — by a recorded action, or for budgets by the APBD allocation the
    sponsor budget holds, and for registration by active non-ASN or vulnerable participants."""
    year = year or timezone.localdate().year
    found = _addressees(user)
    if kind:
        found = found.filter(kind=kind)
    if province:
        found = found.filter(Q(region_id=province) | Q(region__parent_id=province))
    done = {
        (a, k): (n, last)
        for a, k, n, last in FollowUpAction.objects.filter(addressee__in=found)
        .values_list("addressee_id", "kind")
        .annotate(n=Count("id"), last=Max("taken_on"))
    }
    budgeted = _budgeted_regions(year)
    period = latest_period()
    registered: dict[str, int] = {}
    if period is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT regency_code, province_code, sum(active) FROM coverage_tag_month"
                " WHERE period = %s AND tag IN ('non_asn', 'vulnerable') GROUP BY 1, 2",
                (period,),
            )
            for regency, prov, n in cursor.fetchall():
                registered[regency] = registered.get(regency, 0) + int(n)
                registered[prov] = registered.get(prov, 0) + int(n)
    rows = []
    for a in found.order_by("kind", "region_id", "title"):
        flags = {flag: (a.pk, flag) in done for flag in FLAGS}
        if a.region_id and a.region_id in budgeted:
            flags["budget"] = True
        if a.region_id and registered.get(a.region_id, 0) > 0:
            flags["registration"] = True
        actions = sum(n for (pk, _), (n, _) in done.items() if pk == a.pk)
        rows.append(
            {
                "id": a.pk,
                "kind": a.kind,
                "kind_label": a.get_kind_display(),
                "title": a.title,
                "region": a.region_id or "",
                "confirmed": a.confirmed,
                **flags,
                "actions": actions,
                "followed_up": any(flags.values()),
            }
        )
    summary = {}
    for k in AddresseeKind:
        of_kind = [r for r in rows if r["kind"] == k.value]
        if of_kind:
            summary[k.value] = {
                "label": k.label,
                "addressees": len(of_kind),
                "followed_up": sum(r["followed_up"] for r in of_kind),
                **{flag: sum(r[flag] for r in of_kind) for flag in FLAGS},
            }
    return {"year": year, "rows": rows, "summary": summary}


def addressee_detail(*, user: Any, addressee_id: int) -> dict[str, Any]:
    addressee = _addressees(user).filter(pk=addressee_id).first()
    if addressee is None:
        raise NotFound("Penerima Inpres")
    instructions = Instruction.objects.filter(
        Q(kind="", title="") | Q(kind=addressee.kind, title="") | Q(kind=addressee.kind, title=addressee.title)
    ).order_by("kind", "id")
    return {
        "addressee": addressee,
        "instructions": list(instructions),
        "actions": list(addressee.actions.order_by("-taken_on", "-id")),
    }


def evidence_file(*, user: Any, action_id: int, channel: str = "page") -> tuple[Any, bytes]:
    """An action's evidence file, for whoever may see its addressee (issue 27 §5); read audited."""
    action = (
        FollowUpAction.objects.select_related("evidence_file")
        .filter(pk=action_id, addressee__in=_addressees(user), evidence_file__isnull=False)
        .first()
    )
    if action is None or action.evidence_file is None:
        raise NotFound("Bukti")
    audit_record(
        actor=user, action="inpres_evidence_view", entity="followup_action", entity_id=action.pk, channel=channel
    )
    return action.evidence_file, core_files.read(action.evidence_file)


def _described(action: FollowUpAction) -> str:
    text = action.description
    if action.regulation_number:
        text += f" ({action.regulation_type} {action.regulation_number})"
    if action.budget_amount:
        text += f" — {format_rupiah(action.budget_amount)} TA {action.budget_year}"
    return text


def report_pdf(*, user: Any, semester: Semester) -> bytes:
    """The six-monthly report: per kind of addressee, how many followed up and on what; the
    governors one by one; the actions recorded in the semester; national coverage."""
    table = matrix(user=user, year=semester.year)
    actions = (
        FollowUpAction.objects.filter(taken_on__range=(semester.first, semester.last))
        .select_related("addressee")
        .order_by("taken_on", "id")
    )
    visible = {r["id"] for r in table["rows"]}
    period = latest_period()
    coverage = None
    if period is not None and view_for(user).national:
        national = region_report(user=user, region="ID", period=period)
        coverage = {
            "period": national["period"],
            "active": f"{national['active'] or 0:,}".replace(",", "."),
            "share": f"{national['coverage']} %" if national["coverage"] is not None else "–",
        }
    data = {
        "semester": f"Semester {semester.half} tahun {semester.year}",
        "from": semester.first.strftime("%d/%m/%Y"),
        "until": semester.last.strftime("%d/%m/%Y"),
        "summary": [
            {"label": s["label"], "n": s["addressees"], "done": s["followed_up"],
             **{flag: s[flag] for flag in FLAGS}}
            for s in table["summary"].values()
        ],
        "governors": [
            {"title": r["title"], **{flag: "✓" if r[flag] else "–" for flag in FLAGS}}
            for r in table["rows"] if r["kind"] == AddresseeKind.GOVERNOR
        ],
        "actions": [
            {"date": a.taken_on.strftime("%d/%m/%Y"), "addressee": a.addressee.title, "kind": a.get_kind_display(),
             "description": _described(a), "evidence": a.evidence}
            for a in actions if a.addressee_id in visible
        ],
        "coverage": coverage,
    }  # fmt: skip
    return bytes(typst.compile(TEMPLATE, sys_inputs={"data": json.dumps(data)}))
