"""Writes to the region tables: official workforce denominators imported from CSV."""

from __future__ import annotations

import csv
import re
from typing import IO, Any

from django.db import transaction

from paritrana.core.audit import audit_record
from paritrana.core.errors import Problem, ValidationFailed

from .models import Region, WorkforceFigure

WORKFORCE_COLUMNS = ("region_code", "period", "labour_force", "employed", "formal", "informal")


def _int_or_none(value: str) -> int | None:
    value = value.strip().replace(".", "").replace(",", "")
    return int(value) if value else None


def workforce_import(
    handle: IO[str], *, source: str, illustrative: bool, actor: Any, channel: str = "page"
) -> dict[str, Any]:
    """Import denominators: one row per region code (``ID`` or empty = national) and period.

    Good rows are upserted; each bad row is reported with its line and reason and skipped.
    """
    reader = csv.DictReader(handle)
    missing = [c for c in WORKFORCE_COLUMNS[:3] if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationFailed([Problem("columns_missing", f"Kolom wajib tidak ada: {', '.join(missing)}.", "header")])
    known = set(Region.objects.filter(level__lte=2).values_list("code", flat=True))
    errors: list[dict[str, Any]] = []
    imported = 0
    with transaction.atomic():
        for line, row in enumerate(reader, start=2):
            code = (row.get("region_code") or "").strip()
            region_id = None if code in ("", "ID") else code
            if region_id is not None and region_id not in known:
                errors.append(
                    {"line": line, "code": "region_unknown", "message": f"Kode wilayah {code} tidak dikenal."}
                )
                continue
            try:
                values = {c: _int_or_none(row.get(c) or "") for c in WORKFORCE_COLUMNS[2:]}
            except ValueError:
                errors.append({"line": line, "code": "number_invalid", "message": "Angka tidak valid."})
                continue
            period = (row.get("period") or "").strip()
            if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", period):
                errors.append({"line": line, "code": "period_invalid", "message": "Periode harus YYYY-MM."})
                continue
            WorkforceFigure.objects.update_or_create(
                region_id=region_id,
                period=period,
                defaults={**values, "source": source, "illustrative": illustrative},
            )
            imported += 1
        audit_record(
            actor=actor,
            action="workforce_import",
            entity="workforce",
            channel=channel,
            detail={"imported": imported, "errors": len(errors), "source": source},
        )
    return {"imported": imported, "errors": errors}
