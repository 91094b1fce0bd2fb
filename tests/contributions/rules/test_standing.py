"""A membership's standing from its bills (PP 6/2025 Pasal 39: more than 3 consecutive months of
arrears; kept as the parameter ``arrears.inactive_after_months``)."""

from datetime import date

from paritrana.contributions.rules.standing import months_late, standing

TODAY = date(2025, 6, 20)


def test_standing_from_the_months_billed() -> None:
    assert standing(months=[], today=TODAY, inactive_after=3).status == "not_billed"
    paid = [(date(2025, m, 15), True) for m in range(1, 6)]
    assert standing(months=paid, today=TODAY, inactive_after=3).status == "active"
    # The newest bill is not yet due: awaiting payment, not in arrears.
    waiting = standing(months=[*paid, (date(2025, 7, 15), False)], today=TODAY, inactive_after=3)
    assert (waiting.status, waiting.months_in_arrears) == ("awaiting_payment", 0)


def test_three_overdue_months_are_arrears_and_four_make_the_membership_inactive() -> None:
    three = [(date(2025, m, 15), m < 3) for m in range(1, 6)]  # March, April, May unpaid and overdue
    owed = standing(months=three, today=TODAY, inactive_after=3)
    assert (owed.status, owed.months_in_arrears, owed.label) == ("in_arrears", 3, "Menunggak 3 bulan")
    four = [(date(2025, m, 15), m < 2) for m in range(1, 6)]
    gone = standing(months=four, today=TODAY, inactive_after=3)
    assert (gone.status, gone.months_in_arrears) == ("inactive", 4)
    assert gone.label == "Tidak aktif (menunggak 4 bulan)"


def test_months_late_counts_whole_or_started_months_after_the_due_date() -> None:
    due = date(2025, 3, 15)
    assert months_late(due=due, paid_on=date(2025, 3, 15)) == 0
    assert months_late(due=due, paid_on=date(2025, 3, 16)) == 1
    assert months_late(due=due, paid_on=date(2025, 4, 15)) == 1
    assert months_late(due=due, paid_on=date(2025, 4, 16)) == 2
    assert months_late(due=None, paid_on=date(2025, 9, 1)) == 0
