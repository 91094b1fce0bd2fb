"""Wage subsidy rounds over HTTP: the rounds, a round's counts and payments, the eligibility run,
the second person's approval, payment batches, and a participant's answer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from paritrana.core.api import ERRORS

from . import selectors, services
from .schemas import BatchIn, RoundIn

router = Router(tags=["subsidies"])


class RoundOut(Schema):
    code: str
    name: str
    legal_basis: str
    note: str
    status: str
    active_on: date
    monthly_amount: Decimal
    months: int
    instalments: int
    wage_ceiling: Decimal
    ceiling_inclusive: bool
    minimum_wage_year: int | None
    segments: list[str]
    provinces_excluded: list[str]
    regions_included: list[str]
    sectors: list[str]
    employer_kinds_excluded: list[str]
    exclusion_kinds: list[str]
    channels: list[str]


class ReasonOut(Schema):
    code: str
    message: str
    count: int


class ChannelOut(Schema):
    channel: str
    status: str
    payments: int
    amount: Decimal


class ProvinceOut(Schema):
    code: str
    name: str
    eligible: int
    paid_persons: int
    paid_amount: Decimal


class SummaryOut(Schema):
    round: RoundOut
    amount_per_person: Decimal
    decided: int
    eligible: int
    planned_amount: Decimal
    reasons: list[ReasonOut]
    channels: list[ChannelOut]
    provinces: list[ProvinceOut]
    paid_persons: int
    paid_amount: Decimal


class BatchOut(Schema):
    round: str
    number: int
    channel: str
    instalment: int
    payments: int
    amount: Decimal


class AnswerReasonOut(Schema):
    code: str
    message: str


class AnswerPaymentOut(Schema):
    instalment: int
    channel: str
    amount: Decimal
    status: str
    result_on: date | None


class AnswerOut(Schema):
    round: str
    name: str
    initials: str
    state: str = Field(..., description="eligible, not_eligible atau not_computed")
    reasons: list[AnswerReasonOut]
    amount: Decimal
    payments: list[AnswerPaymentOut]


@router.get("/bsu/rounds", response={200: list[RoundOut], **ERRORS})
def rounds(request: HttpRequest) -> Any:
    """Every round with its terms as its regulation sets them."""
    return selectors.round_list(actor=request.user)


@router.get("/bsu/rounds/{code}", response={200: SummaryOut, **ERRORS})
def round_summary(request: HttpRequest, code: str) -> Any:
    """A round's decisions by reason, and its payments per channel, status and province."""
    return selectors.round_summary(actor=request.user, code=code)


@router.put("/bsu/rounds/{code}", response={200: SummaryOut, **ERRORS})
def define(request: HttpRequest, code: str, payload: RoundIn) -> Any:
    """Define a round, or change the terms of one not yet approved (it must then be computed again)."""
    services.round_define(actor=request.user, code=code, terms=payload, channel="api")
    return selectors.round_summary(actor=request.user, code=code)


@router.post("/bsu/rounds/{code}/compute", response={200: SummaryOut, **ERRORS})
def compute(request: HttpRequest, code: str) -> Any:
    """Decide every person in the registry (national administrators; not once approved)."""
    services.round_compute(actor=request.user, code=code, channel="api")
    return selectors.round_summary(actor=request.user, code=code)


@router.post("/bsu/rounds/{code}/approve", response={200: SummaryOut, **ERRORS})
def approve(request: HttpRequest, code: str) -> Any:
    """The second person's approval: not the user who ran the eligibility."""
    services.round_approve(actor=request.user, code=code, channel="api")
    return selectors.round_summary(actor=request.user, code=code)


@router.post("/bsu/rounds/{code}/batches", response={200: BatchOut, **ERRORS})
def batch(request: HttpRequest, code: str, payload: BatchIn) -> Any:
    """A payment batch for one channel: the eligible who have no payment of the instalment on its
    way or paid. Its file is at ``/bsu/{code}/batch/{number}.csv``."""
    made = services.batch_create(
        actor=request.user,
        code=code,
        channel_code=payload.channel.upper(),
        instalment=payload.instalment,
        region=payload.region,
        limit=payload.limit,
        channel="api",
    )
    return {
        "round": made.round.code,
        "number": made.number,
        "channel": made.channel,
        "instalment": made.instalment,
        "payments": made.payments,
        "amount": made.amount,
    }


@router.get("/bsu/check/{nik}", response={200: list[AnswerOut], **ERRORS})
def check(request: HttpRequest, nik: str) -> Any:
    """Whether a person qualifies in each round and why not (a participant: only their own NIK)."""
    return selectors.participant_status(actor=request.user, nik=nik)
