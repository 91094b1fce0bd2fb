"""Reads for linkage: lists and runs, summaries per list, bank, province and regency, the review
queue with the evidence of each pair, and outreach lists per branch.

National administrators see everything; the coordination team sees counts only; a branch,
regency or province officer sees the persons of their own regencies (review and outreach).
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection

from paritrana.accounts.models import Role
from paritrana.accounts.scope import Scope, scope_for
from paritrana.core.errors import NotFound, PermissionDenied
from paritrana.core.exports import Table, csv_bytes, mask_nik, xlsx_bytes
from paritrana.enrolment.rules.proof import initials
from paritrana.registry import selectors as registry_selectors

from .models import Candidate, LinkModel, LinkRun, Match, Outcome, OutsideList
from .rules.names import name_key

OUTCOMES = [o.value for o in Outcome]


def _scope(actor: Any, channel: str) -> Scope:
    """Lists and runs are read by the national administrator, the coordination team (counts) and the
    regional officers who do the outreach; employers, sponsors, participants and juries have no
    business with other people's loan and training lists, not even their names and sizes."""
    scope = scope_for(actor)
    if not (scope.everything or scope.is_regional or scope.role == Role.COORDINATION_VIEWER):
        raise PermissionDenied("Peran Anda tidak melihat daftar pencocokan.")
    return scope


def reads_persons(scope: Scope) -> bool:
    """Whether the scope sees listed persons (review, outreach), not just counts."""
    return scope.everything or scope.is_regional


def list_lists(*, actor: Any, channel: str = "page") -> list[OutsideList]:
    _scope(actor, channel)
    return list(OutsideList.objects.all()[:200])


def list_get(*, actor: Any, list_id: int, channel: str = "page") -> OutsideList:
    _scope(actor, channel)
    found = OutsideList.objects.filter(pk=list_id).first()
    if found is None:
        raise NotFound("Daftar")
    return found


def run_get(*, actor: Any, run_id: int, channel: str = "page") -> LinkRun:
    _scope(actor, channel)
    found = LinkRun.objects.select_related("list", "model").filter(pk=run_id).first()
    if found is None:
        raise NotFound("Pencocokan")
    return found


def model_list() -> list[dict[str, Any]]:
    return [
        {"version": m.version, "trained_on": m.trained_on_id, "training_records": m.training_records,
         "seconds": m.seconds, "created_at": m.created_at}
        for m in LinkModel.objects.all()
    ]  # fmt: skip


def latest_run(list_id: int) -> LinkRun | None:
    return LinkRun.objects.filter(list_id=list_id).order_by("-created_at", "-pk").first()


def run_report(run: LinkRun, *, truth: bool = False, seconds: float | None = None) -> dict[str, Any]:
    """The run's counts as the CLI prints them; with ``truth``, precision, recall and F1 against the
    list's truth column (the registered NIK of the person each row really is)."""
    c = run.counts
    report: dict[str, Any] = {
        "run": run.pk,
        "list": run.list_id,
        "model_version": run.model.version if run.model else None,
        "engine": run.engine,
        "records": c.get("records", 0),
        "matched": c.get("matched", 0),
        **{k: c.get(k, 0) for k in OUTCOMES},
        "seconds": round(seconds if seconds is not None else float(run.seconds or 0), 2),
        "steps": run.steps,
    }
    if truth:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT count(*) FILTER (WHERE m.decision = 'match'),
                       count(*) FILTER (WHERE m.decision = 'match' AND p.nik = lp.truth),
                       count(*) FILTER (WHERE lp.truth <> '')
                FROM linkage_match m JOIN linkage_listedperson lp ON lp.id = m.listed_id
                LEFT JOIN registry_person p ON p.id = m.person_id
                WHERE m.run_id = %s
                """,
                (run.pk,),
            )
            predicted, correct, true_total = cursor.fetchone()
        if true_total:
            precision = correct / predicted if predicted else 0.0
            recall = correct / true_total
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            report.update(precision=round(precision, 5), recall=round(recall, 5), f1=round(f1, 5))
    return report


def _regency_filter(scope: Scope, alias: str = "m") -> tuple[str, list[Any]]:
    if scope.everything or scope.role == "coordination_viewer":
        return "", []
    return f" AND {alias}.regency_code = ANY(%s)", [sorted(scope.regencies)]


def run_summary(*, actor: Any, run_id: int, channel: str = "page") -> dict[str, Any]:
    """Outcomes per bank, per province and per regency/city (within the reader's regencies)."""
    scope = _scope(actor, channel)
    run = run_get(actor=actor, run_id=run_id, channel=channel)
    where, params = _regency_filter(scope)
    groups: dict[str, list[dict[str, Any]]] = {}
    for key, expr, join in (
        ("bank", "coalesce(nullif(lp.bank, ''), '-')", "JOIN linkage_listedperson lp ON lp.id = m.listed_id"),
        ("province", "coalesce(pr.code || ' ' || pr.name, '-')",
         "LEFT JOIN regions_region pr ON pr.code = left(nullif(m.regency_code, ''), 2)"),
        ("regency", "coalesce(rg.code || ' ' || rg.name, '-')",
         "LEFT JOIN regions_region rg ON rg.code = nullif(m.regency_code, '')"),
    ):  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT {expr} AS label, count(*),
                       {", ".join(f"count(*) FILTER (WHERE m.outcome = '{o}')" for o in OUTCOMES)}
                FROM linkage_match m {join}
                WHERE m.run_id = %s{where}
                GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 600
                """,
                [run.pk, *params],
            )
            groups[key] = [
                {"label": r[0], "total": r[1], **dict(zip(OUTCOMES, r[2:], strict=True))} for r in cursor.fetchall()
            ]
    totals = {o: sum(g[o] for g in groups["bank"]) for o in OUTCOMES}
    totals["total"] = sum(g["total"] for g in groups["bank"])
    return {"run": run, "totals": totals, **groups}


def review_queue(*, actor: Any, run_id: int, limit: int = 50, channel: str = "page") -> list[dict[str, Any]]:
    """Uncertain listed persons of a run with their candidates side by side and the match weights."""
    scope = _scope(actor, channel)
    if not reads_persons(scope):
        raise PermissionDenied("Peran Anda tidak melihat data perorangan.")
    matches = Match.objects.select_related("listed").filter(run_id=run_id, decision__in=["review", "ambiguous"])
    if not scope.everything:
        matches = matches.filter(regency_code__in=scope.regencies)
    items = []
    chosen = list(matches.order_by("-weight", "pk")[:limit])
    pairs = list(Candidate.objects.select_related("person").filter(match__in=chosen).order_by("match_id", "rank"))
    # A candidate is a registry person, who may live outside the reviewer's regencies: then only
    # what tells the pair apart is shown (masked NIK, birth year, initials) beside the match weights.
    seen = (
        {p.person_id for p in pairs}
        if scope.everything
        else set(
            registry_selectors.persons_visible(user=actor)
            .filter(pk__in=[p.person_id for p in pairs])
            .values_list("pk", flat=True)
        )
    )
    by_match: dict[int, list[Candidate]] = {}
    for c in pairs:
        by_match.setdefault(c.match_id, []).append(c)
    for match in chosen:
        lp = match.listed
        candidates = []
        for c in by_match.get(match.pk, []):
            p = c.person
            evidence = c.evidence if isinstance(c.evidence, dict) else json.loads(c.evidence or "{}")
            full = p.pk in seen
            candidates.append(
                {
                    "person_id": p.pk,
                    "nik": p.nik if full else mask_nik(p.nik),
                    "name": p.full_name if full else initials(p.full_name),
                    "name_key": name_key(p.full_name).key if full else "",
                    "birth_date": p.birth_date if full else None,
                    "birth_year": p.birth_date.year,
                    "sex": p.sex,
                    "regency": p.regency_id,
                    "weight": round(c.weight, 2),
                    "evidence": [(k, v) for k, v in evidence.items()],
                    "in_scope": full,
                }
            )
        items.append(
            {
                "match": match,
                "listed": lp,
                "listed_key": name_key(lp.name_raw).key,
                "candidates": candidates,
            }
        )
    registry_selectors.audit_person_read(
        user=actor,
        action="linkage_review_view",
        entity="linkage.LinkRun",
        entity_id=run_id,
        channel=channel,
        persons=sorted(seen),
        detail={"matches": [m.pk for m in chosen]},
    )
    return items


def outreach_rows(*, actor: Any, run_id: int, branch: str | None = None, channel: str = "page") -> list[dict[str, Any]]:
    """Listed persons not covered (and lapsed) in the reader's regencies, optionally one branch's."""
    scope = _scope(actor, channel)
    if not reads_persons(scope):
        raise PermissionDenied("Peran Anda tidak melihat data perorangan.")
    where, params = _regency_filter(scope)
    branch_sql = ""
    if branch:
        branch_sql = " AND m.regency_code IN (SELECT regency_id FROM regions_brancharea WHERE branch_id = %s)"
        params = [*params, branch]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT m.id, lp.line, lp.name_raw, lp.nik_raw, lp.birth_date_raw, coalesce(rg.name, lp.region_raw),
                   lp.phone, lp.address, lp.bank, m.outcome, coalesce(br.code, '')
            FROM linkage_match m JOIN linkage_listedperson lp ON lp.id = m.listed_id
            LEFT JOIN regions_region rg ON rg.code = nullif(m.regency_code, '')
            LEFT JOIN regions_brancharea ba ON ba.regency_id = nullif(m.regency_code, '')
            LEFT JOIN regions_branch br ON br.code = ba.branch_id
            WHERE m.run_id = %s AND m.outcome IN ('not_covered', 'covered_lapsed'){where}{branch_sql}
            ORDER BY br.code NULLS LAST, lp.line
            """,
            [run_id, *params],
        )
        labels = dict(Outcome.choices)
        rows = [
            {
                "match_id": r[0], "line": r[1], "name_raw": r[2], "nik_raw": r[3], "birth_date_raw": r[4],
                "regency": r[5], "phone": r[6], "address": r[7], "bank": r[8], "outcome": r[9],
                "outcome_label": labels.get(r[9], r[9]), "branch": r[10],
            }
            for r in cursor.fetchall()
        ]  # fmt: skip
    # Listed persons are rows of an outside list, not registry persons: the read is recorded with
    # the run and the rows it showed.
    registry_selectors.audit_person_read(
        user=actor,
        action="linkage_outreach_view",
        entity="linkage.LinkRun",
        entity_id=run_id,
        channel=channel,
        detail={"rows": len(rows), "branch": branch or ""},
    )
    return rows


OUTREACH_HEADERS = ["Kantor cabang", "Baris", "Nama", "NIK tertulis", "Tanggal lahir", "Kabupaten/Kota", "Telepon",
                    "Alamat", "Bank", "Hasil"]  # fmt: skip


def outreach_table(rows: list[dict[str, Any]], *, run_id: int) -> Table:
    """The outreach list as written in the outside list (its NIK as the bank typed it, for the
    branch to call the person): the regional officers who do the outreach need it whole."""
    values = [
        [r["branch"], r["line"], r["name_raw"], r["nik_raw"], r["birth_date_raw"], r["regency"], r["phone"],
         r["address"], r["bank"], r["outcome_label"]]
        for r in rows
    ]  # fmt: skip
    return Table(f"penjangkauan-{run_id}", OUTREACH_HEADERS, values, title="Penjangkauan", full_nik=True)


def outreach_file(rows: list[dict[str, Any]], *, xlsx: bool, run_id: int = 0) -> bytes:
    table = outreach_table(rows, run_id=run_id)
    if xlsx:
        return xlsx_bytes([(table.title, table.header, table.cells())])
    return csv_bytes(table.header, table.cells())
