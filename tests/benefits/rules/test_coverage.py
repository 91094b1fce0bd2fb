"""Coverage on an event date from a membership's dates and paid months (no database)."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from paritrana.benefits.rules.coverage import MembershipFacts, coverage_on
from paritrana.core.periods import shift_month


def facts(paid: list[date], *, segment: str = "BPU", since: date = date(2024, 1, 1), until: date | None = None):
    return MembershipFacts(1, "12345678901", segment, ("JKK", "JKM"), since, until, Decimal(1_000_000), frozenset(paid))


def months(first: date, n: int) -> list[date]:
    return [shift_month(first, i) for i in range(n)]


def test_covered_when_the_month_before_the_event_is_paid() -> None:
    # The event month's own contribution is not due until the 15th of the next month (PP 44/2015 Pasal 46).
    cov = coverage_on(facts(months(date(2024, 1, 1), 34)), "JKM", date(2026, 11, 10))
    assert cov.covered and cov.unmet == []
    assert (cov.membership_months, cov.contribution_months, cov.consecutive_months) == (35, 34, 34)
    assert cov.contribution_months_last_24 == 23  # December 2024 – October 2026; November unpaid


def test_every_unmet_condition_at_once_with_stable_codes() -> None:
    not_registered = coverage_on(facts([]), "JHT", date(2026, 11, 10))
    assert [p.code for p in not_registered.unmet] == ["not_covered"]
    ended = coverage_on(facts([], until=date(2025, 12, 31)), "JKM", date(2026, 11, 10))
    assert [p.code for p in ended.unmet] == ["not_covered"]
    unpaid = coverage_on(facts(months(date(2024, 1, 1), 20)), "JKM", date(2026, 11, 10))
    assert [p.code for p in unpaid.unmet] == ["contributions_unpaid"] and "10/2026" in unpaid.unmet[0].message
    # A wage earner's employer in arrears owes the benefit itself (PP 44/2015 Pasal 59).
    arrears = coverage_on(facts([], segment="PU"), "JKM", date(2026, 11, 10))
    assert [p.code for p in arrears.unmet] == ["employer_arrears"]


def test_a_membership_that_began_in_the_event_month_has_nothing_due_yet() -> None:
    assert coverage_on(facts([], since=date(2026, 11, 3)), "JKM", date(2026, 11, 10)).covered


@given(st.sets(st.integers(min_value=0, max_value=47)), st.integers(min_value=0, max_value=47))
def test_counts_never_exceed_what_they_count(paid_index: set[int], event_index: int) -> None:
    paid = [shift_month(date(2023, 1, 1), i) for i in paid_index]
    event = shift_month(date(2023, 1, 1), event_index).replace(day=20)
    cov = coverage_on(facts(paid, since=date(2023, 1, 1)), "JKK", event)
    assert cov.consecutive_months <= cov.contribution_months <= cov.membership_months
    assert cov.contribution_months_last_24 <= min(24, cov.contribution_months)
    assert cov.covered == (
        shift_month(date(2023, 1, 1), event_index) in paid
        or shift_month(date(2023, 1, 1), event_index - 1) in paid
        or event_index == 0
    )
