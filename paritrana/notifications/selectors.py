"""Who is told, and what the outbox holds.

The registry keeps no e-mail addresses of employers or claimants: a notification goes to the accounts
that act for them, at the address each account gave (``User.email``, set on the account page):

- a payer's bill: the accounts of that employer (``employer_hr``) or that sponsor
  (``sponsor_operator``), or, for a self-paying participant, the participant's own account;
- a claim: the participant's own account, and the account that submitted it unless staff's;
- an upload: the account that uploaded it.

Inactive accounts and accounts without an address are never told."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Q

from paritrana.accounts.models import Role

from .models import Outbox, Status

# A claim's submitter hears of it when it is the participant, an heir with an account of their own, or the
# employer that reported it (a work accident); the branch officer who typed it in does not.
TOLD_SUBMITTERS = (Role.PARTICIPANT, Role.EMPLOYER_HR)


@dataclass(frozen=True)
class Recipient:
    user_id: int
    address: str


def _of(users: Any) -> list[Recipient]:
    rows = users.filter(is_active=True).exclude(email="").values_list("pk", "email").order_by("pk")
    return [Recipient(pk, email) for pk, email in rows]


def payer_recipients(*, employer_id: int | None = None, sponsor_id: int | None = None,
                     person_id: int | None = None) -> list[Recipient]:  # fmt: skip
    if employer_id is not None:
        wanted = Q(profile__role=Role.EMPLOYER_HR, profile__employer_id=employer_id)
    elif sponsor_id is not None:
        wanted = Q(profile__role=Role.SPONSOR_OPERATOR, profile__sponsor_id=sponsor_id)
    elif person_id is not None:
        wanted = Q(profile__role=Role.PARTICIPANT, profile__person_id=person_id)
    else:
        return []
    return _of(User.objects.filter(wanted))


def claim_recipients(*, person_id: int, submitted_by_id: int | None) -> list[Recipient]:
    wanted = Q(profile__role=Role.PARTICIPANT, profile__person_id=person_id)
    if submitted_by_id is not None:
        wanted |= Q(pk=submitted_by_id, profile__role__in=TOLD_SUBMITTERS)
    return _of(User.objects.filter(wanted).distinct())


def user_recipients(*, user_id: int | None) -> list[Recipient]:
    return [] if user_id is None else _of(User.objects.filter(pk=user_id))


def outbox_counts() -> dict[str, int]:
    counts = {status: 0 for status in Status.values}
    for row in Outbox.objects.values("status").annotate(n=Count("id")).order_by():
        counts[row["status"]] = row["n"]
    return counts
