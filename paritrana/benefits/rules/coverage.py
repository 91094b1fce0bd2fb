"""Coverage on an event date, derived from a membership and the months its contributions were paid.

Pure: the selectors hand over each membership's dates, programmes and the set of months whose bill
is paid in full. A month counts as a contribution month (masa iur) only when its bill is paid; a
month billed but unpaid is arrears. See docs/decisions/0004-claims.md for the grace rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from paritrana.core.errors import Problem
from paritrana.core.periods import month_start, months_touched, shift_month


@dataclass(frozen=True)
class MembershipFacts:
    membership_id: int
    kpj: str
    segment: str
    programmes: tuple[str, ...]
    valid_from: date
    valid_until: date | None
    wage: Decimal | None  # the last reported wage (PU) or declared income (BPU)
    paid_months: frozenset[date] = frozenset()  # first days of months whose bill is paid in full
    jp_bases: tuple[Decimal, ...] = ()  # JP wage of each paid month (for the average wage)


@dataclass
class Coverage:
    membership_id: int
    covered: bool
    membership_months: int
    contribution_months: int
    contribution_months_last_24: int
    consecutive_months: int
    unmet: list[Problem] = field(default_factory=list)


def coverage_on(facts: MembershipFacts, programme: str, event: date) -> Coverage:
    """Whether ``facts`` covered ``programme`` on ``event``, and the counts the benefit rules read.

    Covered means: registered for the programme with the event inside the membership's dates, and
    contributions paid for the event month or — since that month is not yet due on the event date
    (the 15th of the next month, PP 44/2015 Pasal 46) — for the month before it. A membership that
    began in the event month has nothing due yet and is covered. Unpaid months are arrears: a wage
    earner's employer then owes the benefit itself (PP 44/2015 Pasal 59; regulation.md §1.7)."""
    unmet: list[Problem] = []
    registered = programme in facts.programmes
    in_dates = facts.valid_from <= event and (facts.valid_until is None or event <= facts.valid_until)
    if not registered:
        unmet.append(
            Problem("not_covered", f"Kepesertaan {facts.kpj} tidak mencakup program {programme}.", "membership")
        )
    elif not in_dates:
        until = f" sampai {facts.valid_until:%d/%m/%Y}" if facts.valid_until else ""
        unmet.append(
            Problem(
                "not_covered",
                f"Pada {event:%d/%m/%Y} kepesertaan {facts.kpj} tidak berlaku (berlaku sejak "
                f"{facts.valid_from:%d/%m/%Y}{until}).",
                "event_date",
            )
        )
    event_month = month_start(event)
    previous = shift_month(event_month, -1)
    paid = facts.paid_months
    started_this_month = month_start(facts.valid_from) == event_month
    if registered and in_dates and not (event_month in paid or previous in paid or started_this_month):
        if facts.segment == "PU":
            unmet.append(
                Problem(
                    "employer_arrears",
                    f"Iuran bulan {previous:%m/%Y} belum lunas dibayar pemberi kerja: pemberi kerja wajib membayar "
                    "manfaat kepada pekerja sebesar manfaat BPJS (PP 44/2015 Pasal 59).",
                    "contributions",
                )
            )
        else:
            unmet.append(
                Problem(
                    "contributions_unpaid",
                    f"Iuran bulan {previous:%m/%Y} belum dibayar: peserta tidak aktif pada tanggal peristiwa.",
                    "contributions",
                )
            )
    counted = [m for m in paid if m <= event_month]
    window_start = shift_month(event_month, -23)
    run = 0
    month = event_month if event_month in paid else previous
    while month in paid:
        run += 1
        month = shift_month(month, -1)
    return Coverage(
        membership_id=facts.membership_id,
        covered=not unmet,
        membership_months=months_touched(facts.valid_from, event),
        contribution_months=len(counted),
        contribution_months_last_24=sum(1 for m in counted if m >= window_start),
        consecutive_months=run,
        unmet=unmet,
    )
