"""Demo pensions for ``paritrana demo`` (issue 31): survivors' and a disability pension in payment and
last month's payroll, so that the payroll, its arrears and its indexation have something to show.

Three participants of the synthetic population died in earlier years (2019, 2021, 2024); for each a
survivor — a widow, a child, a parent — had a JP survivor pension decided by the benefit calculator
(PP 45/2015 Pasal 16; under 15 years' contributions counted as 15 by Permenaker 29/2015 Pasal 26),
paid its first month, confirmed their status this year, and is paid by the payroll of last month,
every month since as arrears at the amount of each year; the payments go to the bank in a batch and
the bank's answer (all paid, one returned) is imported. The widow has a young son recorded, to whom
her pension passes when it ends. She is a registered person herself (a woman of the population of
about her age, her NIK on the heir): the demo gives her a participant's login, ``janda``, from which
she follows her pension and sends her proof of life. A fourth participant, living, has been in total
permanent disability since September 2023 and is paid their own disability pension (PP 45/2015 Pasal
16 huruf b). No old-age pension: JP began in July 2015
and one needs 180 months of contributions, so the first can be due in July 2030.
Idempotent: a BatchRun row records that it ran.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from paritrana.accounts.models import Profile
from paritrana.benefits import pensions, services
from paritrana.benefits.batch.payroll import payroll_run
from paritrana.benefits.models import Claim
from paritrana.benefits.rules.pension import add_months
from paritrana.core.models import BatchRun
from paritrana.demo.synth.names import GENERAL_FAMILY, GENERAL_FEMALE, GENERAL_MALE
from paritrana.registry.models import Membership, Person

JOB = "demo_pensions"
# A tiny JPEG: the proof of life's photo (the demo's files are synthetic too).
PHOTO = b"\xff\xd8\xff\xe0" + b"\x00" * 64

CASES = (
    # survivor, year of death, the survivor's age at the death
    ("spouse", 2019, 41),
    ("child", 2021, 9),
    ("parent", 2024, 66),
)


def _disability(actor: Any, membership: Membership, today: date) -> dict[str, Any]:
    """A living participant in total permanent disability since September 2023, their own disability
    pension decided by the calculator (PP 45/2015 Pasal 16 huruf b, 17(2), 18) and paid its first month."""
    person = membership.person
    event = date(2023, 9, 10)
    months = (event.year - 2016) * 12
    decided = services.benefit_calculate(
        {
            "benefit": "JP_DISABILITY",
            "event_date": event.isoformat(),
            "birth_date": person.birth_date.isoformat(),
            "contribution_months": months,
            "avg_indexed_annual_wage": str(Decimal(int(membership.wage or 4_000_000)) * 12),
        }
    )
    amount = Decimal(decided["total"])
    claim = Claim.objects.create(
        benefit="JP_DISABILITY",
        person=person,
        membership=membership,
        event_date=event,
        state="approved",
        regency_id=membership.regency_id,
        amount=amount,
        facts={"payee_bank": "BRI", "payee_account": f"0033{person.pk:08d}"},
        result={
            **decided,
            "payouts": [{"heir_id": None, "name": person.full_name, "amount": str(amount), "components": []}],
        },
        submitted_by=actor,
    )
    _pay_and_confirm(actor, claim, paid_on=event + timedelta(days=25), confirmed_on=today - timedelta(days=20))
    return {"claim": claim.pk, "survivor": None, "kind": "disability", "monthly": str(amount)}


def _pay_and_confirm(actor: Any, claim: Claim, *, paid_on: date, confirmed_on: date) -> None:
    """The claim's first month paid (its pension put in payment), and a proof of life this year accepted."""
    services.claim_pay(actor=actor, claim_id=claim.pk, paid_on=paid_on, reference=f"DEMO-JP-{claim.pk}", channel="cli")
    upload = io.BytesIO(PHOTO)
    upload.name = "bukti-hidup.jpg"
    proof = services.proof_of_life_record(
        actor=actor, claim_id=claim.pk, upload=upload, given_on=confirmed_on, channel="cli"
    )
    services.proof_of_life_decide(actor=actor, proof_id=proof.pk, accept=True, channel="cli")


def demo_pensions(*, actor: Any) -> dict[str, Any]:
    if BatchRun.objects.filter(job=JOB, status=BatchRun.Status.DONE).exists():
        return {"skipped": True}
    today = timezone.localdate()
    made: dict[str, Any] = {"pensions": []}
    members = list(
        Membership.objects.filter(segment="PU", programmes__contains=["JP"], valid_until__isnull=True)
        .exclude(person__claims__isnull=False)
        .order_by("person_id")
        .select_related("person")[: len(CASES) + 1]
    )
    disabled = members[len(CASES)] if len(members) > len(CASES) else None
    for (survivor, year, age), membership in zip(CASES, members, strict=False):
        person = membership.person
        death = date(year, 5 + len(made["pensions"]), 10)
        family = GENERAL_FAMILY[person.pk % len(GENERAL_FAMILY)]
        first = (GENERAL_FEMALE if survivor != "child" else GENERAL_MALE)[person.pk % len(GENERAL_FEMALE)]
        name, born, nik = f"{first} {family}", date(year - age, 3, 1), ""
        widow = None
        if survivor == "spouse":
            widow = (
                Person.objects.filter(sex="P", birth_date__year__range=(year - age - 3, year - age + 3))
                .exclude(pk__in=[m.person_id for m in members])
                .exclude(claims__isnull=False)
                .exclude(pk__in=Profile.objects.filter(person__isnull=False).values("person_id"))  # no other login
                .order_by("id")
                .first()
            )
        if widow is not None:
            name, born, nik = widow.full_name, widow.birth_date, widow.nik
            made["widow_person"] = widow.pk
        heir = services.heir_add(
            actor=actor,
            person_id=person.pk,
            name=name,
            nik=nik,
            relationship=survivor,
            birth_date=born,
            bank_name="BRI",
            account_number=f"0031{person.pk:08d}",
            channel="cli",
        )
        # The calculator decides the monthly amount from the facts of the death (a member since at
        # least 12 months before it, every month paid: density 100 %).
        months = 12 + (year - 2016) * 12
        decided = services.benefit_calculate(
            {
                "benefit": "JP_SURVIVOR",
                "event_date": death.isoformat(),
                "birth_date": person.birth_date.isoformat(),
                "contribution_months": months,
                "membership_months": months,
                "avg_indexed_annual_wage": str(Decimal(int(membership.wage or 4_000_000)) * 12),
                "survivor": survivor,
                "survivor_birth_date": born.isoformat(),
            }
        )
        amount = Decimal(decided["total"])
        claim = Claim.objects.create(
            benefit="JP_SURVIVOR",
            person=person,
            membership=membership,
            event_date=death,
            state="approved",
            regency_id=membership.regency_id,
            amount=amount,
            facts={"survivor": survivor, "survivor_heir_id": heir.pk},
            result={
                **decided,
                "payouts": [{"heir_id": heir.pk, "name": heir.name, "amount": str(amount), "components": []}],
            },
            submitted_by=actor,
        )
        _pay_and_confirm(actor, claim, paid_on=death + timedelta(days=20), confirmed_on=today - timedelta(days=30))
        if survivor == "spouse":
            # The widow's young son: ending her pension (remarriage, death) hands it to him (pension_succeed).
            services.heir_add(
                actor=actor, person_id=person.pk, name=f"{GENERAL_MALE[person.pk % len(GENERAL_MALE)]} {family}",
                relationship="child", birth_date=date(year - 5, 7, 1), bank_name="BRI",
                account_number=f"0032{person.pk:08d}", channel="cli",
            )  # fmt: skip
        made["pensions"].append({"claim": claim.pk, "survivor": survivor, "monthly": str(amount)})
    if disabled is not None:
        made["pensions"].append(_disability(actor, disabled, today))
    last_month = add_months(today.replace(day=1), -1)
    made["payroll"] = payroll_run(period=last_month)
    # Sent to the bank, and the bank's answer: all paid but the last line, returned (the next payroll
    # issues it again) — so that the payroll page shows a reconciled batch with a failure.
    batch = pensions.pension_batch_create(actor=actor, period=last_month, bank="BRI", channel="cli")
    references = list(batch.lines.order_by("reference").values_list("reference", flat=True))
    answer = "referensi;status;tanggal\n" + "".join(
        f"{ref};{'Gagal' if i == len(references) - 1 else 'Berhasil'};{today:%d/%m/%Y}\n"
        for i, ref in enumerate(references)
    )
    made["bank_answer"] = pensions.pension_results_import(
        actor=actor, content=answer.encode(), file_name="hasil-bri-demo.csv", channel="cli"
    )
    # Written when done (in the demo's transaction): a row left "running" while the payroll ran would
    # be taken by the ledger's reaper for a job whose process died.
    BatchRun.objects.create(
        job=JOB, params={}, status=BatchRun.Status.DONE, finished_at=timezone.now(), rows=len(members), detail=made
    )
    return made
