"""Registry API: persons, employers, sponsors, memberships — parse → service/selector → schema.

No ``from __future__ import annotations`` here: Django Ninja reads the annotations at import time.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from paritrana.accounts.scope import scope_for
from paritrana.core.api import ERRORS, Mapped
from paritrana.core.exports import mask_nik
from paritrana.core.pagination import Paged

from . import selectors, services
from .schemas import EmployerIn, MembershipEnd, PersonIn, SponsorIn

if TYPE_CHECKING:  # types only: the API reads and writes through selectors and services
    from .models import Employer, Membership, Person, Sponsor

router = Router(tags=["registry"])


class PersonPatch(Schema):
    nik: str | None = None
    full_name: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    village_code: str | None = None
    title_prefix: str | None = None
    title_suffix: str | None = None
    birth_place: str | None = None
    disability: bool | None = None
    disability_kind: str | None = None
    phone: str | None = None
    address: str | None = None


class PersonOut(Schema):
    id: int
    nik: str
    full_name: str
    title_prefix: str
    title_suffix: str
    birth_date: date
    sex: str
    disability: bool
    disability_kind: str
    village_code: str
    regency_code: str
    province_code: str
    updated_at: datetime


def _person_out(person: "Person", *, full_nik: bool) -> dict[str, Any]:
    return {
        "id": person.pk,
        "nik": person.nik if full_nik else mask_nik(person.nik),
        "full_name": person.full_name,
        "title_prefix": person.title_prefix,
        "title_suffix": person.title_suffix,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "disability": person.disability,
        "disability_kind": person.disability_kind,
        "village_code": person.village_id,
        "regency_code": person.regency_id,
        "province_code": person.province_id,
        "updated_at": person.updated_at,
    }


class PersonFilter(Schema):
    q: str = Field("", description="NIK (16 digit), KPJ (11 digit) atau nama")
    regency: str = ""
    sex: str = ""
    segment: str = ""


@router.get("/persons", response=list[PersonOut])
@paginate(Paged)
def persons_list(request: HttpRequest, filters: Query[PersonFilter]) -> Any:
    """Persons in your scope. NIKs are masked unless your role needs them in full."""
    full = scope_for(request.user).full_nik_in_exports
    persons = selectors.person_list(
        user=request.user, q=filters.q, regency=filters.regency, sex=filters.sex, segment=filters.segment
    )

    def audit(page: list[Any]) -> None:
        selectors.audit_person_read(
            user=request.user,
            action="person_search",
            entity="person",
            channel="api",
            persons=[p.pk for p in page],
            detail={k: v for k, v in filters.dict().items() if v},
        )

    return Mapped(persons, lambda p: _person_out(p, full_nik=full), on_page=audit)


@router.get("/persons/{person_id}", response={200: PersonOut, **ERRORS})
def persons_get(request: HttpRequest, person_id: int) -> Any:
    """One full record (the view is recorded in the audit trail)."""
    return _person_out(selectors.person_get(user=request.user, person_id=person_id, channel="api"), full_nik=True)


@router.post("/persons", response={201: PersonOut, **ERRORS})
def persons_create(request: HttpRequest, payload: PersonIn) -> Any:
    person = services.person_create(actor=request.user, channel="api", **payload.dict())
    return Status(201, _person_out(person, full_nik=True))


@router.patch("/persons/{person_id}", response={200: PersonOut, **ERRORS})
def persons_update(request: HttpRequest, person_id: int, payload: PersonPatch) -> Any:
    changes = payload.dict(exclude_unset=True)
    person = services.person_update(actor=request.user, person_id=person_id, channel="api", **changes)
    return _person_out(person, full_nik=True)


class EmployerPatch(Schema):
    name: str | None = None
    scale: str | None = None
    sector: str | None = None
    jkk_risk_group: int | None = None
    address: str | None = None


class EmployerOut(Schema):
    id: int
    npp: str
    name: str
    kind: str
    scale: str
    sector: str
    jkk_risk_group: int
    regency_code: str = Field(..., alias="regency_id")
    province_code: str = Field(..., alias="province_id")
    branch_code: str | None = Field(None, alias="branch_id")


class EmployerFilter(Schema):
    q: str = ""
    regency: str = ""
    kind: str = ""
    scale: str = ""


@router.get("/employers", response=list[EmployerOut])
@paginate(Paged)
def employers_list(request: HttpRequest, filters: Query[EmployerFilter]) -> Any:
    return selectors.employer_list(
        user=request.user, q=filters.q, regency=filters.regency, kind=filters.kind, scale=filters.scale
    )


@router.get("/employers/{employer_id}", response={200: EmployerOut, **ERRORS})
def employers_get(request: HttpRequest, employer_id: int) -> "Employer":
    return selectors.employer_get(user=request.user, employer_id=employer_id)


@router.post("/employers", response={201: EmployerOut, **ERRORS})
def employers_create(request: HttpRequest, payload: EmployerIn) -> Any:
    return Status(201, services.employer_create(actor=request.user, channel="api", **payload.dict()))


@router.patch("/employers/{employer_id}", response={200: EmployerOut, **ERRORS})
def employers_update(request: HttpRequest, employer_id: int, payload: EmployerPatch) -> "Employer":
    return services.employer_update(
        actor=request.user, employer_id=employer_id, channel="api", **payload.dict(exclude_unset=True)
    )


class SponsorOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    region_code: str = Field(..., alias="region_id")
    province_code: str = Field(..., alias="province_id")


@router.get("/sponsors", response=list[SponsorOut])
@paginate(Paged)
def sponsors_list(request: HttpRequest, q: str = "", kind: str = "") -> Any:
    return selectors.sponsor_list(user=request.user, q=q, kind=kind)


@router.get("/sponsors/{sponsor_id}", response={200: SponsorOut, **ERRORS})
def sponsors_get(request: HttpRequest, sponsor_id: int) -> "Sponsor":
    return selectors.sponsor_get(user=request.user, sponsor_id=sponsor_id)


@router.post("/sponsors", response={201: SponsorOut, **ERRORS})
def sponsors_create(request: HttpRequest, payload: SponsorIn) -> Any:
    return Status(201, services.sponsor_create(actor=request.user, channel="api", **payload.dict()))


class MembershipIn(Schema):
    person_id: int | None = Field(None, description="Only for a person the caller may already read")
    nik: str | None = Field(None, max_length=32, description="Otherwise: NIK, name and birth date as on the KTP")
    full_name: str | None = Field(None, max_length=200)
    birth_date: date | None = None
    segment: str = Field(..., description="PU, BPU, JAKON atau PMI")
    employer_id: int | None = None
    sponsor_id: int | None = None
    tags: list[str] = []
    programmes: list[str] | None = None
    wage: Decimal | None = None
    declared_income: Decimal | None = None
    valid_from: date | None = None
    valid_until: date | None = None


class MembershipOut(Schema):
    id: int
    kpj: str
    person_id: int
    employer_id: int | None
    sponsor_id: int | None
    segment: str
    tags: list[str]
    programmes: list[str]
    wage: Decimal | None
    declared_income: Decimal | None
    valid_from: date
    valid_until: date | None
    status: str


class MembershipFilter(Schema):
    person_id: int | None = None
    employer_id: int | None = None
    sponsor_id: int | None = None
    segment: str = ""
    status: str = ""
    kpj: str = ""


@router.get("/memberships", response=list[MembershipOut])
@paginate(Paged)
def memberships_list(request: HttpRequest, filters: Query[MembershipFilter]) -> Any:
    return selectors.membership_list(user=request.user, **filters.dict())


@router.get("/memberships/{membership_id}", response={200: MembershipOut, **ERRORS})
def memberships_get(request: HttpRequest, membership_id: int) -> "Membership":
    return selectors.membership_get(user=request.user, membership_id=membership_id)


@router.post("/memberships", response={201: MembershipOut, **ERRORS})
def memberships_create(request: HttpRequest, payload: MembershipIn) -> Any:
    data = payload.dict()
    if data.get("programmes") is None:
        data.pop("programmes")
    return Status(201, services.membership_create(actor=request.user, channel="api", **data))


@router.post("/memberships/{membership_id}/end", response={200: MembershipOut, **ERRORS})
def memberships_end(request: HttpRequest, membership_id: int, payload: MembershipEnd) -> "Membership":
    return services.membership_end(
        actor=request.user,
        membership_id=membership_id,
        valid_until=payload.valid_until,
        reason=payload.reason,
        channel="api",
    )
