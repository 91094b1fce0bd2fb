"""From scored candidate pairs to one answer per listed person, and from that answer to an outcome.

Pure. A pair's match weight is Splink's log2 Bayes factor including the prior; the thresholds are
the run's (defaults below, chosen on the generator's hard profile and recorded with each run).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from paritrana.core.rules.cells import nik_cell

# Defaults, chosen on the generator's hard profile (seed 7, 100,000 listed against 10,000,000; the
# benchmark uses another seed) and recorded with every run. The model's prior is deliberately low
# (half a listed person per registry of N), so its weights are conservative: pairs weighing 0 to 2
# were right 92 % of the time there, above 2 more than 99.7 %. A match needs a weight of at least 0
# and a lead of 2 (four times as likely as the runner-up); from -6 up a clerk sees the pair.
MATCH_WEIGHT = 0.0
REVIEW_WEIGHT = -6.0
LEAD_WEIGHT = 2.0


class Decision:
    MATCH = "match"
    REVIEW = "review"
    AMBIGUOUS = "ambiguous"
    NONE = "none"


class Outcome:
    ACTIVE = "covered_active"
    LAPSED = "covered_lapsed"
    NOT_COVERED = "not_covered"
    AMBIGUOUS = "ambiguous"


OUTCOME_LABELS = {
    Outcome.ACTIVE: "Terlindungi, aktif",
    Outcome.LAPSED: "Pernah terdaftar, tidak aktif/menunggak",
    Outcome.NOT_COVERED: "Belum terlindungi",
    Outcome.AMBIGUOUS: "Meragukan (perlu diperiksa)",
}


@dataclass(frozen=True)
class Thresholds:
    match: float = MATCH_WEIGHT
    review: float = REVIEW_WEIGHT
    lead: float = LEAD_WEIGHT


def decide(
    weights: list[float], thresholds: Thresholds = Thresholds(), *, differs: list[bool] | None = None
) -> Decision | str:
    """The answer for one listed person from the match weights of its candidates.

    A candidate whose name shares nothing with the listed name, unless both its NIK and birth date
    are the same (``differs``, one flag per weight), is never the match, nor a rival to one, however
    much the rest agrees: in a registry of millions that is a relative's NIK, or a neighbour born the
    same day in the same district (the next serial, one digit off), far more often than a name
    mistyped beyond recognition (issue 28 §4). It is still worth a clerk's look.

    >>> decide([12.0, 1.0]), decide([12.0, 10.5]), decide([-3.0]), decide([-7.0]), decide([])
    ('match', 'ambiguous', 'review', 'none', 'none')
    >>> decide([12.0], differs=[True]), decide([12.0, 3.0], differs=[True, False])
    ('review', 'match')
    """
    flags = differs or [False] * len(weights)
    if not weights or max(weights) < thresholds.review:
        return Decision.NONE
    ranked = sorted((w for w, d in zip(weights, flags, strict=True) if not d), reverse=True)
    if not ranked or ranked[0] < thresholds.match:
        return Decision.REVIEW
    if len(ranked) > 1 and ranked[1] > ranked[0] - thresholds.lead:
        return Decision.AMBIGUOUS
    return Decision.MATCH


def outcome(decision: str, *, active: bool | None, in_arrears: bool = False) -> str:
    """Covered and active, covered but lapsed (no membership in force, or its payer in arrears), not
    covered, or ambiguous (a clerk decides).

    >>> outcome("match", active=True), outcome("match", active=True, in_arrears=True)
    ('covered_active', 'covered_lapsed')
    >>> outcome("none", active=None), outcome("review", active=None)
    ('not_covered', 'ambiguous')
    """
    if decision == Decision.MATCH:
        return Outcome.ACTIVE if active and not in_arrears else Outcome.LAPSED
    if decision == Decision.NONE:
        return Outcome.NOT_COVERED
    return Outcome.AMBIGUOUS


_NOT_DIGIT = re.compile(r"\D")


@dataclass(frozen=True)
class NikParts:
    """A NIK cut where its meaning changes (data-sources.md § NIK): region of first registration,
    birth date with day + 40 for women, serial. Compared part by part, never by edit distance."""

    nik: str

    @property
    def region(self) -> str:
        return self.nik[:6]

    @property
    def born(self) -> str:
        return self.nik[6:12]

    @property
    def serial(self) -> str:
        return self.nik[12:]


def clean_nik(raw: object, *, today: date) -> NikParts | None:
    """The NIK in ``raw`` when it can be one: 16 digits once spaces, dots and dashes are gone, a real
    birth date inside, a serial other than 0000. Anything else is treated as missing.

    >>> clean_nik("64.02.01 450890 0003", today=date(2026, 11, 21)).serial
    '0003'
    >>> clean_nik("6402013108900003", today=date(2026, 11, 21)) is None  # 31 August 1990: fine
    False
    >>> clean_nik("6402013302900003", today=date(2026, 11, 21)) is None  # 33 February
    True
    >>> clean_nik("6402013108900003.0", today=date(2026, 11, 21)).serial  # a number cell as text
    '0003'
    """
    if raw is None:
        return None
    # As enrolment reads a NIK cell (core/rules/cells.py): separators, an apostrophe, a ".0" off; a
    # number in scientific notation has lost digits and is no NIK.
    cleaned, exponent = nik_cell(str(raw))
    if exponent:
        return None
    digits = _NOT_DIGIT.sub("", cleaned)
    if len(digits) != 16 or digits[12:] == "0000" or digits[:2] == "00":
        return None
    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if day > 40:
        day -= 40
    year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    try:
        date(year, month, day)
    except ValueError:
        return None
    return NikParts(digits)


def swapped(born: date | None) -> date | None:
    """The date with day and month swapped, when that is a different real date (a common slip).

    >>> str(swapped(date(1980, 3, 7))), swapped(date(1980, 3, 17)), swapped(date(1980, 5, 5))
    ('1980-07-03', None, None)
    """
    if born is None or born.day > 12 or born.day == born.month:
        return None
    return born.replace(month=born.day, day=born.month)
