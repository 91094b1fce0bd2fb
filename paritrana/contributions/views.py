"""Pages of the contribution engine. The simulation page is public, like BPJS's own."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from paritrana.core.errors import ValidationFailed

from .rules.contribution import SCALES, SEGMENTS
from .services import contribution_calculate

FIELDS = (
    "segment",
    "period",
    "wage",
    "jkk_risk_group",
    "employer_scale",
    "declared_income",
    "contract_value",
    "contract_months",
)
FLAGS = ("include_jht", "pre_placement", "relief_eligible")


def _amount(text: str) -> str:
    """Accept amounts as officers type them: "3.500.000", "Rp 3.500.000", "3500000"."""
    return text.replace("Rp", "").replace(".", "").replace(" ", "").strip()


def simulate(request: HttpRequest) -> HttpResponse:
    form: dict[str, Any] = {name: request.GET.get(name, "").strip() for name in FIELDS}
    form.update({name: request.GET.get(name) == "on" for name in FLAGS})
    form["segment"] = form["segment"] or "PU"
    form["period"] = form["period"] or timezone.localdate().strftime("%Y-%m")
    form["employer_scale"] = form["employer_scale"] or "large"
    result = None
    problems: list[Any] = []
    if request.GET.get("hitung"):
        payload: dict[str, Any] = {"segment": form["segment"], "period": form["period"]}
        for name in ("wage", "declared_income", "contract_value"):
            if form[name]:
                payload[name] = _amount(form[name])
        for name in ("jkk_risk_group", "contract_months"):
            if form[name]:
                payload[name] = form[name]
        if form["segment"] == "PU":
            payload["employer_scale"] = form["employer_scale"]
        for name in FLAGS:
            payload[name] = form[name]
        try:
            result = contribution_calculate(payload)
        except ValidationFailed as exc:
            problems = exc.problems
    return render(
        request,
        "contributions/simulate.html",
        {
            "form": form,
            "result": result,
            "problems": problems,
            "segments": SEGMENTS,
            "scales": SCALES,
            "risk_groups": range(1, 6),
        },
        status=400 if problems else 200,
    )
