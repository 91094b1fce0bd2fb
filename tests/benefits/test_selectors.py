"""Reads of benefits that other apps' bulk reports use (the award's claims service)."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from paritrana.benefits import selectors
from paritrana.benefits.models import Claim
from paritrana.registry.models import Membership

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")


def _paid_claim(person: Any, submitted: datetime, paid: datetime | None) -> Claim:
    membership = Membership.objects.filter(person=person).first()
    assert membership is not None
    claim = Claim.objects.create(
        benefit="JKM", person=person, membership=membership, event_date=submitted.date(),
        regency_id=membership.regency_id, state="paid" if paid else "submitted",
    )  # fmt: skip
    Claim.objects.filter(pk=claim.pk).update(submitted_at=submitted, paid_at=paid)
    return claim


def test_median_days_to_pay_per_region_and_employer_in_jakarta_days(world: dict[str, Any]) -> None:
    bpn, kukar = world["bpn_person"], world["kukar_person"]
    # Balikpapan: 2, 4 and 10 days → median 4. Submitted at 23:30 Jakarta time on 1 March (16:30 UTC),
    # paid 00:30 on 3 March: two days in Jakarta's calendar, though 25 hours.
    _paid_claim(bpn, datetime(2024, 3, 1, 23, 30, tzinfo=JAKARTA), datetime(2024, 3, 3, 0, 30, tzinfo=JAKARTA))
    _paid_claim(bpn, datetime(2024, 4, 1, 9, 0, tzinfo=JAKARTA), datetime(2024, 4, 5, 9, 0, tzinfo=JAKARTA))
    _paid_claim(bpn, datetime(2024, 5, 1, 9, 0, tzinfo=JAKARTA), datetime(2024, 5, 11, 9, 0, tzinfo=JAKARTA))
    # Kukar: 6 days; a claim not yet paid and one paid after the period do not count.
    _paid_claim(kukar, datetime(2024, 6, 1, 9, 0, tzinfo=JAKARTA), datetime(2024, 6, 7, 9, 0, tzinfo=JAKARTA))
    _paid_claim(kukar, datetime(2024, 7, 1, 9, 0, tzinfo=JAKARTA), None)
    _paid_claim(kukar, datetime(2024, 12, 1, 9, 0, tzinfo=JAKARTA), datetime(2025, 1, 20, 9, 0, tzinfo=JAKARTA))
    start, end = date(2024, 1, 1), date(2024, 12, 31)
    by_region = selectors.median_days_to_pay_by_region(start=start, end=end)
    assert by_region["64.71"] == 4 and by_region["64.02"] == 6
    # The province: 2, 4, 6, 10 → the median of an even count is the mean of the middle two, 5.
    assert by_region["64"] == 5
    employers = [world["bpn_employer"].pk, world["kukar_employer"].pk]
    # Only Balikpapan's claims are on an employer's membership (Kukar's member is sponsored).
    assert selectors.median_days_to_pay_by_employer(ids=employers, start=start, end=end) == {
        world["bpn_employer"].pk: 4
    }
