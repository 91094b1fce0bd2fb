"""The province monev report as PDF (Typst, typst/monev.typ): the figures from selectors.monev_report,
written as an Indonesian reader expects them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typst

from paritrana.core.money import format_rupiah

TEMPLATE = (Path(__file__).resolve().parent / "typst" / "monev.typ").read_bytes()
SEGMENT_LABELS = {"PU": "Penerima Upah", "BPU": "Bukan Penerima Upah", "JAKON": "Jasa Konstruksi", "PMI": "PMI"}


def _n(value: int | None) -> str:
    return "< 10" if value is None else f"{value:,}".replace(",", ".")


def _month(iso: str) -> str:
    """``2025-03`` as people write it: ``03/2025``."""
    year, month = iso[:7].split("-")
    return f"{month}/{year}"


def _day(iso: str) -> str:
    """``2025-03-31`` as people write it: ``31/03/2025``."""
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def _pct(value: Any) -> str:
    return "–" if value is None else f"{value} %".replace(".", ",")


def monev_pdf(report: dict[str, Any]) -> bytes:
    denominator = report["denominator"]
    women = report["by_sex"].get("P")
    disabled = report["by_disability"].get("yes")
    data = {
        "name": report["name"],
        # People read dates day first and months as 03/2025 (DESIGN.md §3.8), in the PDF as on pages.
        "period": _month(report["period"]),
        "year": report["period"][:4],
        "definition": report["indicator"]["definition"],
        "active_text": _n(report["active"]),
        "denominator_text": (
            f"{denominator['label']} {denominator['year']}: {_n(denominator['value'])} ({denominator['source']})"
            + (" — ilustratif" if denominator["illustrative"] else "")
            if denominator
            else "belum ada angka resmi yang dimuat"
        ),
        "coverage_text": _pct(report["coverage"]),
        "women_text": _n(women),
        "disability_text": _n(disabled),
        "segments": [{"label": SEGMENT_LABELS.get(k, k), "value": _n(v)} for k, v in report["by_segment"].items()],
        "regencies": [
            {
                "name": r["name"],
                "active": _n(r["active"]),
                "coverage": _pct(r["coverage"]),
                "tagged": _n(r["non_asn_vulnerable"]),
                "budget": "ada" if r["budgeted"] else "belum",
            }
            for r in report["regencies"]
        ],
        "not_budgeted": report["not_budgeted"],
        "benefits_period": f"{_day(report['benefits_from'])} s.d. {_day(report['benefits_until'])}",
        "benefits": [
            {"programme": b["programme"], "claims": _n(b["claims"]), "amount": format_rupiah(b["amount"])}
            for b in report["benefits_paid"]
        ],
    }
    return bytes(typst.compile(TEMPLATE, sys_inputs={"data": json.dumps(data)}))
