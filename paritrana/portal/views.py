"""Each role's home page starts from that role's work (issue 27 §1): a branch its queues, an
employer its workers and bills, a sponsor its budget, a participant their own memberships and
claims, the coordination team the coverage, a juror the editions they sit on."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from paritrana.accounts.scope import Scope, scope_for
from paritrana.award import selectors as award
from paritrana.benefits import selectors as benefits
from paritrana.contributions import selectors as contributions
from paritrana.contributions.rules.payment_code import payment_code
from paritrana.enrolment import selectors as enrolment
from paritrana.registry import selectors as registry

from .menu import BRANCH, COORD, HR, JURY, PARTICIPANT, SPONSOR

OPEN_BILLS = ("open", "partial")
CLAIM_STATES = ("submitted", "verified", "approved")


def _open_bills(user: Any, kind: str, payer_id: int) -> list[dict[str, Any]]:
    bills = contributions.bill_list(user=user, payer_kind=kind, payer_id=payer_id).filter(status__in=OPEN_BILLS)
    return [{"bill": b, "left": b.amount_due - b.paid_amount, "code": payment_code(b.pk)} for b in bills[:6]]


def _staff(user: Any, scope: Scope) -> dict[str, Any]:
    today = timezone.localdate()
    arrears = contributions.arrears_summary(user=user, today=today)
    officer = scope.everything or scope.role == BRANCH
    counts = benefits.queue_counts(user=user) if officer else {}
    return {
        "claims": [(state, counts.get(state, 0)) for state in CLAIM_STATES],
        "claim_officer": officer,
        "proofs_waiting": benefits.proofs_of_life_waiting(user=user).count() if officer else 0,
        "registrar": scope.everything or scope.is_regional,
        "arrears": {
            "payers": sum(r["payers"] for r in arrears),
            "outstanding": sum(r["outstanding"] for r in arrears),
        },
        "uploads": list(enrolment.uploads_visible(user)[:5]),
        "counts": registry.registry_counts(user=user),
    }


def _employer(user: Any, scope: Scope) -> dict[str, Any]:
    assert scope.employer_id is not None
    employer = registry.employer_get(user=user, employer_id=scope.employer_id)
    active = registry.membership_list(user=user, employer_id=employer.pk, status="active").count()
    return {
        "organisation": employer,
        "workers_active": active,
        "bills": _open_bills(user, "employer", employer.pk),
        "uploads": list(enrolment.uploads_visible(user)[:5]),
    }


def _sponsor(user: Any, scope: Scope) -> dict[str, Any]:
    assert scope.sponsor_id is not None
    sponsor = registry.sponsor_get(user=user, sponsor_id=scope.sponsor_id)
    status = enrolment.budget_status(sponsor=sponsor, year=timezone.localdate().year)
    return {
        "organisation": sponsor,
        "budget": enrolment.budget_display(status),
        "bills": _open_bills(user, "sponsor", sponsor.pk),
        "uploads": list(enrolment.uploads_visible(user)[:5]),
    }


def _participant(user: Any, scope: Scope) -> dict[str, Any]:
    assert scope.person_id is not None
    person = registry.person_get(user=user, person_id=scope.person_id, log_view=False)
    today = timezone.localdate()
    memberships = [
        {"m": m, "standing": contributions.membership_standing(membership=m, today=today)}
        for m in registry.membership_list(user=user, person_id=person.pk)
    ]
    return {
        "person": person,
        "memberships": memberships,
        "claims": list(benefits.claim_list(user=user, person_id=person.pk)[:5]),
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = scope_for(user)
    profile = getattr(user, "profile", None)
    context: dict[str, Any] = {
        "scope": scope,
        "role": scope.role,
        "role_label": profile.get_role_display() if profile else "Administrator nasional",
        "today": timezone.localdate(),
    }
    if scope.everything or scope.is_regional:
        context.update(_staff(user, scope))
    elif scope.role == HR and scope.employer_id:
        context.update(_employer(user, scope))
    elif scope.role == SPONSOR and scope.sponsor_id:
        context.update(_sponsor(user, scope))
    elif scope.role == PARTICIPANT and scope.person_id:
        context.update(_participant(user, scope))
    elif scope.role == COORD:
        context["counts"] = registry.registry_counts(user=user)
    elif scope.role == JURY:
        context["editions"] = award.edition_list(actor=user)
    return render(request, "portal/home.html", context)
