"""Survivors succeed one another (issue 31 §1–2): a pensioner's death puts the widow in payment, her
remarriage the eldest child, the child's 23rd birthday (ended by the payroll) the next child; with no
widow and no child, a parent. Amounts worked out by hand from PP 45/2015:

- Pasal 17(1)b: the old-age pension of Rp1,500,000 from March 2023 is indexed on its anniversary in
  March 2024 by 2.61 % (jp.indexation_rate for 2024) to 1,539,150.
- Pasal 16 with the survivor shares of law/data/benefits.csv (widow(er) 50 %, child 50 %, parent 20 %
  of the formula; all [U]): the widow's pension is 1,539,150 × 50 ÷ 100 = 769,575; a child after her
  769,575 × 50 ÷ 50 = 769,575.
- Pasal 18: each payment at least the year's minimum (2024: Rp393,500).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from paritrana.accounts.scope import scope_for
from paritrana.benefits.batch.payroll import payroll_run
from paritrana.benefits.models import Claim, Heir, Pension, PensionSchedule
from paritrana.benefits.pensions import pension_end
from paritrana.benefits.rules.pension import Candidate, successor
from paritrana.benefits.selectors import claims_scoped
from paritrana.core.models import AuditEvent
from tests.benefits.test_payroll import _confirm, _paid, _pension

pytestmark = pytest.mark.django_db


def _heir(world: dict[str, Any], relationship: str, name: str, born: date) -> Heir:
    return Heir.objects.create(
        person=world["bpn_person"],
        name=name,
        relationship=relationship,
        birth_date=born,
        bank_name="BRI",
        account_number=f"0022{born:%Y%m%d}",
    )


def _run(*months: str) -> list[dict[str, Any]]:
    return [payroll_run(period=date.fromisoformat(m + "-01")) for m in months]


def _successor_of(pension: Pension) -> Pension:
    return Pension.objects.get(claim__facts__succession_of=pension.claim_id)


def test_pensioner_dies_then_the_widow_then_two_children_in_turn(world: dict[str, Any]) -> None:
    admin = world["users"]["admin"]
    _heir(world, "spouse", "Sri Wahyuni", date(1965, 2, 3))
    eldest = _heir(world, "child", "Andi Pratama", date(2001, 9, 15))
    youngest = _heir(world, "child", "Bunga Lestari", date(2008, 4, 2))
    _heir(world, "parent", "Siti Aminah", date(1940, 1, 1))  # not paid: there is a widow and there are children
    pensioner = _pension(world, first=date(2023, 3, 1), base=1_500_000, paid_through=date(2023, 12, 1))
    _confirm(world, pensioner, date(2024, 1, 8))
    _run("2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06")

    # Died on 10 June 2024: June is his (the pension ran on 1 June); the widow's from July.
    ended = pension_end(actor=admin, pension_id=pensioner.pk, ended_on=date(2024, 6, 10), reason="died")
    assert ended["successor"]["kind"] == "spouse" and ended["successor"]["amount"] == "769575"
    widow = _successor_of(pensioner)
    assert (widow.kind, widow.beneficiary_name, widow.schedule.first_period) == (
        "spouse",
        "Sri Wahyuni",
        date(2024, 7, 1),
    )
    assert widow.claim.benefit == "JP_SURVIVOR" and widow.claim.state == "paid"
    assert [p["name"] for p in widow.claim.result["payouts"]] == ["Sri Wahyuni"]
    _run("2024-07")
    # She remarried on 20 July 2024: July is hers; the eldest child (22, unmarried, not working) from August.
    ended = pension_end(actor=admin, pension_id=widow.pk, ended_on=date(2024, 7, 20), reason="remarried")
    first_child = _successor_of(widow)
    assert (first_child.heir_id, first_child.schedule.first_period, int(first_child.base_amount)) == (
        eldest.pk,
        date(2024, 8, 1),
        769_575,
    )
    # Andi turns 23 on 15 September 2024: paid August and September (PP 45/2015, child until 23); the
    # October payroll ends his pension on 14 September and hands over to Bunga in the same run.
    runs = _run("2024-08", "2024-09", "2024-10", "2024-11")
    assert [r["succeeded"] for r in runs] == [0, 0, 1, 0]
    second_child = _successor_of(first_child)
    assert (second_child.heir_id, second_child.schedule.first_period) == (youngest.pk, date(2024, 10, 1))
    first_child.refresh_from_db()
    assert (first_child.state, first_child.ended_on) == ("ended", date(2024, 9, 14))

    assert _paid(pensioner) == {
        "2023-03": 1_500_000,
        "2024-01": 1_500_000,
        "2024-02": 1_500_000,
        "2024-03": 1_539_150,
        "2024-04": 1_539_150,
        "2024-05": 1_539_150,
        "2024-06": 1_539_150,
    }
    assert _paid(widow) == {"2024-07": 769_575}
    assert _paid(first_child) == {"2024-08": 769_575, "2024-09": 769_575}
    assert _paid(second_child) == {"2024-10": 769_575, "2024-11": 769_575}
    # Two children have been paid: nobody follows Bunga (PP 45/2015: at most two children).
    assert not Pension.objects.filter(kind="parent").exists()

    # Each successor is a JP_SURVIVOR claim of its own in the participant's regency (Balikpapan): seen
    # nationally, not by the Samarinda branch, which serves Kutai Kartanegara only.
    claims = set(Claim.objects.filter(facts__succession_of__isnull=False).values_list("pk", flat=True))
    assert len(claims) == 3
    assert claims <= set(claims_scoped(scope_for(admin)).values_list("pk", flat=True))
    assert not claims & set(claims_scoped(scope_for(world["users"]["branch"])).values_list("pk", flat=True))
    assert AuditEvent.objects.filter(action="pension_succeed").count() == 3


def test_with_no_widow_and_no_child_a_parent_is_paid_at_least_the_minimum(world: dict[str, Any]) -> None:
    admin = world["users"]["admin"]
    # A child who is married is not entitled (PP 45/2015: a child's pension until marriage).
    married = _heir(world, "child", "Dedi Saputra", date(2000, 1, 1))
    Heir.objects.filter(pk=married.pk).update(married=True)
    mother = _heir(world, "parent", "Ratna Sari", date(1950, 5, 5))
    pensioner = _pension(world, first=date(2024, 1, 1), base=1_000_000)
    _run("2024-02")
    pension_end(actor=admin, pension_id=pensioner.pk, ended_on=date(2024, 2, 29), reason="died")
    parent = _successor_of(pensioner)
    # 1,000,000 × 20 ÷ 100 = 200,000 a month; Pasal 18: paid the 2024 minimum, Rp393,500.
    assert (parent.heir_id, parent.kind, int(parent.base_amount)) == (mother.pk, "parent", 200_000)
    _run("2024-03", "2024-04")
    assert _paid(parent) == {"2024-03": 393_500, "2024-04": 393_500}


def test_a_survivor_claim_made_by_hand_for_the_death_is_not_doubled(world: dict[str, Any]) -> None:
    admin = world["users"]["admin"]
    _heir(world, "spouse", "Sri Wahyuni", date(1965, 2, 3))
    pensioner = _pension(world, first=date(2024, 1, 1), base=1_000_000)
    # The branch already opened the widow's JP_SURVIVOR claim for the death of 12 March 2024.
    Claim.objects.create(
        benefit="JP_SURVIVOR", person=pensioner.person, membership=pensioner.claim.membership,
        event_date=date(2024, 3, 12), state="submitted", regency_id="64.71",
    )  # fmt: skip
    result = pension_end(actor=admin, pension_id=pensioner.pk, ended_on=date(2024, 3, 12), reason="died")
    assert result["successor"] is None and Pension.objects.count() == 1


def test_a_widow_without_children_is_followed_by_nobody(world: dict[str, Any]) -> None:
    admin = world["users"]["admin"]
    _heir(world, "parent", "Ratna Sari", date(1950, 5, 5))  # a parent never follows a widow
    widow = _pension(world, kind="spouse", first=date(2024, 1, 1), base=800_000)
    result = pension_end(actor=admin, pension_id=widow.pk, ended_on=date(2024, 3, 3), reason="died")
    assert result["successor"] is None
    assert Pension.objects.count() == 1


def test_the_order_of_succession_as_a_rule() -> None:
    spouse = Candidate(1, "spouse", date(1970, 1, 1), True)
    elder = Candidate(2, "child", date(2000, 1, 1), True)
    younger = Candidate(3, "child", date(2005, 1, 1), True)
    working = Candidate(4, "child", date(2003, 1, 1), False)
    parent = Candidate(5, "parent", date(1945, 1, 1), True)
    everyone = [spouse, elder, younger, working, parent]
    assert successor("old_age", everyone, set()) == spouse
    assert successor("disability", [elder, younger, parent], set()) == elder
    assert successor("old_age", [working, parent], set()) == parent
    assert successor("spouse", everyone, {1}) == elder
    assert successor("child", everyone, {1, 2}) == younger
    assert successor("child", everyone, {1, 2, 3}) is None  # two children paid: the cap
    assert successor("parent", everyone, {5}) is None
    assert successor("spouse", [spouse, parent], {1}) is None


def test_the_branch_queue_lists_pensions_suspended_for_want_of_a_proof(world: dict[str, Any]) -> None:
    """jp.proof_of_life_months [U] is 12: a status confirmed in January 2025 covers the payrolls up to
    December 2025; from January 2026 the pension is suspended and listed for its branch."""
    from django.test import Client

    from paritrana.benefits.selectors import pensions_suspended

    lapsed = _pension(world, kind="spouse", first=date(2024, 6, 1), base=800_000, number=1)
    PensionSchedule.objects.filter(pk=lapsed.pk).update(confirmed_on=date(2025, 1, 20))
    fresh = _pension(world, kind="spouse", first=date(2024, 6, 1), base=800_000, number=2)
    PensionSchedule.objects.filter(pk=fresh.pk).update(confirmed_on=date(2025, 2, 3))
    admin = world["users"]["admin"]
    assert list(pensions_suspended(user=admin, on=date(2025, 12, 31))) == []
    assert [p.pk for p in pensions_suspended(user=admin, on=date(2026, 1, 1))] == [lapsed.pk]
    assert [p.pk for p in pensions_suspended(user=admin, on=date(2026, 2, 1))] == [lapsed.pk, fresh.pk]
    # The payroll agrees: January 2026 pays the fresh one and not the lapsed one.
    PensionSchedule.objects.filter(pk__in=[lapsed.pk, fresh.pk]).update(paid_through=date(2025, 12, 1))
    payroll_run(period=date(2026, 1, 1))
    assert _paid(fresh).get("2026-01") and "2026-01" not in _paid(lapsed)
    # On the page, to the officers of the pension's regency only (Balikpapan: not the Samarinda branch).
    page = Client()
    page.force_login(admin)
    today = pensions_suspended(user=admin, on=date.today())
    html = page.get("/klaim/bukti-hidup/").content.decode()
    assert len(today) == 2 and all(f'data-pension="{p.pk}"' in html for p in today)
    branch = Client()
    branch.force_login(world["users"]["branch"])
    assert f'data-pension="{lapsed.pk}"' not in branch.get("/klaim/bukti-hidup/").content.decode()


def test_a_widow_registered_in_her_own_right_follows_her_pension_and_sends_her_proof(world: dict[str, Any]) -> None:
    """Issue 31 §4: a survivor sees the pension she is paid on her own pages. The world's participant
    (Sumarni, Kutai Kartanegara) is the widow of the Balikpapan pensioner: her NIK is on his heir."""
    import io

    from django.test import Client

    from paritrana.benefits.models import ProofOfLife
    from paritrana.benefits.selectors import claim_list

    admin, me = world["users"]["admin"], world["users"]["participant"]
    widow = _heir(world, "spouse", "Sumarni Lestari", date(1985, 3, 4))
    widow.nik = world["kukar_person"].nik
    widow.save(update_fields=["nik"])
    _heir(world, "child", "Andi Pratama", date(2001, 9, 15))
    pensioner = _pension(world, first=date(2023, 3, 1), base=1_500_000, paid_through=date(2023, 12, 1))
    _confirm(world, pensioner, date(2024, 1, 8))
    _run("2024-01", "2024-02")
    pension_end(actor=admin, pension_id=pensioner.pk, ended_on=date(2024, 2, 10), reason="died")
    hers = _successor_of(pensioner)
    _run("2024-03", "2024-04")
    # Her claims: the survivor's pension from his membership, not his own old-age claim.
    assert list(claim_list(user=me).values_list("pk", flat=True)) == [hers.claim_id]
    client = Client()
    client.force_login(me)
    assert f"/klaim/{hers.claim_id}/" in client.get("/saya/klaim/").content.decode()
    page = client.get(f"/klaim/{hers.claim_id}/").content.decode()
    # He died in February 2024, before his first anniversary: the amount in force was 1,500,000; the
    # widow's share 50 % [U] of it = 750,000 a month from March (PP 45/2015 Pasal 16, regulation.md §2.5).
    assert _paid(hers) == {"2024-03": 750_000, "2024-04": 750_000}
    assert 'data-payment="2024-04"' in page and "750.000" in page and 'id="proof-form"' in page
    assert client.get(f"/klaim/{pensioner.claim_id}/").status_code == 404
    assert f"/klaim/{pensioner.claim_id}/" not in page  # no link to a page she may not open
    assert client.get(f"/api/v1/claims/{hers.claim_id}/pension").json()["kind"] == "spouse"
    photo = io.BytesIO(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    photo.name = "saya.jpg"
    assert client.post(f"/klaim/{hers.claim_id}/bukti-hidup/", {"file": photo}).status_code == 302
    assert ProofOfLife.objects.filter(claim_id=hers.claim_id, state="submitted").count() == 1
    # Once the pension passes to the next survivor, his claim is not hers to see.
    pension_end(actor=admin, pension_id=hers.pk, ended_on=date(2024, 4, 20), reason="remarried")
    child = _successor_of(hers)
    assert client.get(f"/klaim/{child.claim_id}/").status_code == 404
    assert list(claim_list(user=me).values_list("pk", flat=True)) == [hers.claim_id]
