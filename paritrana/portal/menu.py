"""Each role's menu: only the pages that role may open, in the order of its daily work (issue 27).

Who may open a page is decided by the page itself (its selectors and services); this list only
says which pages belong in a role's menu. ``tests/portal/test_menu.py`` opens every entry as every
role, so an entry that a role's page would refuse cannot stay in its menu, and the role × endpoint
matrix (``tests/security/test_matrix.py``) proves the pages refuse everyone else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from paritrana.accounts.models import Role
from paritrana.accounts.scope import Scope, scope_for

ADMIN, COORD, BRANCH = Role.NATIONAL_ADMIN, Role.COORDINATION_VIEWER, Role.BRANCH_OFFICER
PROVINCE, REGENCY, HR = Role.PROVINCE_OFFICER, Role.REGENCY_OFFICER, Role.EMPLOYER_HR
SPONSOR, JURY, PARTICIPANT = Role.SPONSOR_OPERATOR, Role.AWARD_JURY, Role.PARTICIPANT
REGIONAL = frozenset({BRANCH, PROVINCE, REGENCY})
STAFF = frozenset({ADMIN}) | REGIONAL
MONITORING = STAFF | {COORD}
ORGANISATIONS = frozenset({HR, SPONSOR})


@dataclass(frozen=True)
class Entry:
    label: Any  # a lazy translation
    roles: frozenset[str]
    url: Callable[[Scope], str]


def _named(name: str) -> Callable[[Scope], str]:
    return lambda _scope: reverse(name)


def _payer(scope: Scope) -> str:
    kind, payer = ("employer", scope.employer_id) if scope.employer_id else ("sponsor", scope.sponsor_id)
    return reverse("contributions:payer_bills", args=[kind, payer])


def _organisation(scope: Scope) -> str:
    if scope.employer_id:
        return reverse("registry:employer", args=[scope.employer_id])
    return reverse("registry:sponsor", args=[scope.sponsor_id])


def _own(name: str) -> Callable[[Scope], str]:
    return lambda scope: reverse(name, args=[scope.person_id])


ENTRIES: tuple[Entry, ...] = (
    Entry(_("Home"), frozenset(Role.values), _named("home")),
    # Staff and the regions: people, claims, payments, lists.
    Entry(_("Search"), STAFF, _named("registry:search")),
    Entry(_("Claims"), frozenset({ADMIN, BRANCH}), _named("benefits:queue")),
    Entry(_("Scholarships"), frozenset({ADMIN, BRANCH}), _named("benefits:scholarships")),
    Entry(_("Pension payroll"), frozenset({ADMIN}), _named("benefits:payroll")),
    Entry(_("Arrears"), STAFF, _named("contributions:arrears")),
    Entry(_("Bank statement"), frozenset({ADMIN, BRANCH}), _named("contributions:statement_import")),
    # Employers and sponsors: their own workers and bills.
    Entry(_("Workers"), ORGANISATIONS, _organisation),
    Entry(_("Bills"), ORGANISATIONS, _payer),
    Entry(_("Bulk enrolment"), STAFF | ORGANISATIONS, _named("enrolment:new")),
    Entry(_("Budget"), STAFF | {SPONSOR}, _named("enrolment:budget")),
    # Monitoring.
    Entry(_("Coverage"), MONITORING, _named("coverage:national")),
    Entry("Inpres", MONITORING, _named("coverage:inpres")),
    Entry(_("Outside lists"), MONITORING, _named("linkage:lists")),
    Entry("BSU", frozenset({ADMIN, COORD}), _named("subsidies:rounds")),
    Entry("Paritrana Award", frozenset({ADMIN, COORD, JURY}), _named("award:editions")),
    # A participant's own affairs.
    Entry(_("My card"), frozenset({PARTICIPANT}), _named("enrolment:my_card")),
    Entry(_("My claims"), frozenset({PARTICIPANT}), _named("benefits:mine")),
    Entry(_("Contributions"), frozenset({PARTICIPANT}), _own("contributions:history")),
    Entry(_("JHT balance"), frozenset({PARTICIPANT}), _own("benefits:jht")),
    Entry(_("My data"), frozenset({PARTICIPANT}), _named("registry:my_data")),
    Entry(_("Wage subsidy"), frozenset({PARTICIPANT}), _named("subsidies:check")),
    # For everyone who works out contributions.
    Entry(_("Contribution simulation"), frozenset(Role.values), _named("contributions:simulate")),
)


def menu_for(user: Any) -> list[tuple[str, str]]:
    """``(label, url)`` of each page in ``user``'s menu, in order; none for someone not signed in."""
    scope = scope_for(user)
    role = scope.role
    if role is None:
        return []
    if role == PARTICIPANT and scope.person_id is None:
        return [(str(_("Home")), reverse("home"))]
    if role in ORGANISATIONS and not (scope.employer_id or scope.sponsor_id):
        return [(str(_("Home")), reverse("home"))]
    return [(str(entry.label), entry.url(scope)) for entry in ENTRIES if role in entry.roles]
