"""Writes for coverage monitoring: official denominators and targets imported with their source,
and the monthly rollup refreshed (batch/rollup.py)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django.db import transaction

from paritrana.accounts.scope import scope_for
from paritrana.core.audit import audit_record
from paritrana.core.errors import PermissionDenied, Problem, ValidationFailed
from paritrana.regions.models import Region

from .batch.rollup import refresh_month
from .models import Denominator, DenominatorKind, Target

COLUMNS = ("region", "year", "kind", "value", "source")


def _may_write(actor: Any, channel: str) -> None:
    if not scope_for(actor).everything:
        raise PermissionDenied("Hanya administrator nasional yang mengubah penyebut dan target.")


def denominators_import(*, actor: Any, content: bytes, channel: str = "page") -> dict[str, int]:
    """CSV ``region,year,kind,value,source[,illustrative][,women][,disability]`` (region empty =
    Indonesia; women and disability: of the value, where the source breaks it down). Every bad
    line is reported at once and nothing is written; good files replace the figures they name."""
    _may_write(actor, channel)
    text = content.decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationFailed([Problem("column_missing", f"Kolom {c} tidak ada.", c) for c in missing])
    known = set(Region.objects.filter(level__in=(1, 2)).values_list("code", flat=True))
    rows, problems = [], []
    for line, row in enumerate(reader, start=2):
        region = (row.get("region") or "").strip()
        try:
            year, value = int(row["year"]), int(row["value"])
        except (TypeError, ValueError):
            problems.append(Problem("number_invalid", f"Baris {line}: tahun dan nilai harus bilangan bulat.", "value"))
            continue
        if region and region not in known:
            problems.append(Problem("region_unknown", f"Baris {line}: wilayah {region[:20]} tidak dikenal.", "region"))
        if row["kind"] not in DenominatorKind.values:
            problems.append(
                Problem("kind_unknown", f"Baris {line}: jenis harus {', '.join(DenominatorKind.values)}.", "kind")
            )
        if not 2000 <= year <= 2100 or value < 0:
            problems.append(Problem("number_invalid", f"Baris {line}: tahun atau nilai di luar batas.", "value"))
        if not (row.get("source") or "").strip():
            problems.append(Problem("source_required", f"Baris {line}: sumber wajib diisi.", "source"))
        parts: dict[str, int | None] = {}
        for column in ("women", "disability"):
            cell = (row.get(column) or "").strip()
            try:
                parts[column] = int(cell) if cell else None
            except ValueError:
                parts[column] = None
                problems.append(Problem("number_invalid", f"Baris {line}: {column} harus bilangan bulat.", column))
                continue
            if parts[column] is not None and not 0 <= (parts[column] or 0) <= value:
                problems.append(
                    Problem("part_exceeds_value", f"Baris {line}: {column} harus antara 0 dan nilai.", column)
                )
        rows.append(
            (region or None, year, row["kind"], value, row["source"].strip()[:300], row.get("illustrative"), parts)
        )
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        for region, year, kind, value, source, illustrative, parts in rows:
            Denominator.objects.update_or_create(
                region_id=region,
                year=year,
                kind=kind,
                defaults={
                    "value": value,
                    "women": parts["women"],
                    "disability": parts["disability"],
                    "source": source,
                    "illustrative": (illustrative or "").strip().lower() in ("true", "1", "ya", "yes"),
                },
            )
        audit_record(
            actor=actor,
            action="denominators_import",
            entity="denominator",
            entity_id="",
            channel=channel,
            detail={"rows": len(rows)},
        )
    return {"rows": len(rows)}


def target_set(
    *, actor: Any, year: int, value: int, source: str, region: str = "", segment: str = "", channel: str = "page"
) -> Target:
    _may_write(actor, channel)
    problems = []
    if region and not Region.objects.filter(code=region, level__in=(1, 2)).exists():
        problems.append(Problem("region_unknown", "Wilayah tidak dikenal.", "region"))
    if segment not in ("", "PU", "BPU", "JAKON", "PMI"):
        problems.append(Problem("segment_unknown", "Segmen harus PU, BPU, JAKON, PMI atau kosong.", "segment"))
    if not source.strip():
        problems.append(Problem("source_required", "Sumber target wajib diisi.", "source"))
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        target, _ = Target.objects.update_or_create(
            region_id=region or None, year=year, segment=segment, defaults={"value": value, "source": source[:300]}
        )
        audit_record(
            actor=actor,
            action="target_set",
            entity="target",
            entity_id=target.pk,
            channel=channel,
            detail={"year": year, "region": region, "segment": segment, "value": value},
        )
    return target


def rollup_refresh(*, actor: Any, period: date, channel: str = "cli") -> dict[str, Any]:
    _may_write(actor, channel)
    return refresh_month(period)
