"""The claim decision letter as PDF (Typst): each component with its legal basis, or every reason
for a refusal. The figures come from the claim as decided; the template only lays them out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typst
from django.utils import timezone

from paritrana.core.exports import mask_nik
from paritrana.core.money import format_rupiah

from .models import Claim
from .rules.claims import LABELS, STATE_LABELS

TEMPLATE = (Path(__file__).resolve().parent / "typst" / "decision_letter.typ").read_bytes()


def _date(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else "–"


def letter_data(claim: Claim, *, full_nik: bool) -> dict[str, Any]:
    result = claim.result
    payments = {p.heir_id: p for p in claim.payments.all()}
    return {
        "number": f"KLM-{claim.submitted_at:%Y}-{claim.pk:07d}",
        "benefit_label": LABELS[claim.benefit]
        + (f" {claim.school_year} ({claim.education_level})" if claim.school_year else ""),
        "person": claim.person.display_name,
        "nik": claim.person.nik if full_nik else mask_nik(claim.person.nik),
        "kpj": claim.membership.kpj if claim.membership else "–",
        "event_date": _date(claim.event_date),
        "submitted": _date(timezone.localtime(claim.submitted_at)),
        "state_label": STATE_LABELS[claim.state],
        "due_by": _date(claim.due_by) if claim.due_by else None,
        "eligible": bool(result.get("eligible")),
        "components": [
            {"name": c["name"], "amount": format_rupiah(int(c["amount"])), "legal_basis": c["legal_basis"]}
            for c in result.get("components", [])
        ],
        "total": format_rupiah(claim.amount),
        "payouts": [
            {
                "name": p["name"],
                "account": f"{payments[p['heir_id']].bank_name} {payments[p['heir_id']].account_number}"
                if p["heir_id"] in payments
                else "–",
                "amount": format_rupiah(int(p["amount"])),
            }
            for p in result.get("payouts", [])
        ],
        "unmet": result.get("unmet", []),
        "notes": result.get("notes", [])
        + (
            [f"Denda keterlambatan BPJS {format_rupiah(claim.penalty)} (PP 44/2015 Pasal 37 ayat (3))."]
            if claim.penalty
            else []
        ),
        "rejection": {"code": claim.rejection_code, "note": claim.rejection_note}
        if claim.state == "rejected"
        else None,
        "legal_basis": result.get("legal_basis") or ["PP 44/2015", "PP 82/2019"],
        "issued": _date(timezone.localdate()),
        "office": claim.regency.name,
    }


def decision_letter_pdf(claim: Claim, *, full_nik: bool) -> bytes:
    data = json.dumps(letter_data(claim, full_nik=full_nik))
    return bytes(typst.compile(TEMPLATE, sys_inputs={"data": data}))


JHT_TEMPLATE = (Path(__file__).resolve().parent / "typst" / "jht_statement.typ").read_bytes()


def jht_statement_pdf(statement: dict[str, Any]) -> bytes:
    """The JHT statement of selectors.jht_statement as PDF."""
    person = statement["person"]
    data = {
        "person": person.display_name,
        "nik": mask_nik(person.nik),
        "until": _date(statement["until"] or timezone.localdate()),
        "total": format_rupiah(statement["total"]),
        "issued": _date(timezone.localdate()),
        "rows": [
            {
                "date": _date(r["entry"].entry_date),
                "kpj": r["entry"].membership.kpj,
                "kind": r["entry"].get_kind_display()
                + (f" {r['entry'].note}" if r["entry"].kind != "contribution" else f" {r['entry'].period:%m/%Y}"),
                "amount": format_rupiah(r["entry"].amount),
                "balance": format_rupiah(r["balance"]),
            }
            for r in statement["rows"]
        ],
    }
    return bytes(typst.compile(JHT_TEMPLATE, sys_inputs={"data": json.dumps(data)}))
