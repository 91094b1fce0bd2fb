"""``paritrana payroll run --period YYYY-MM``: the monthly pension payroll (batch/payroll.py), printed
as JSON ``{"period", "beneficiaries", "payments", "amount", "seconds", ...}``; ``payments`` counts the
payments this run added, so a second run of the same month prints 0."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from paritrana.benefits.batch.payroll import payroll_run
from paritrana.core.commands import JsonCommand
from paritrana.core.periods import Period


class Command(JsonCommand):
    help = "Payroll pensiun bulanan: bayar setiap pensiun yang berjalan untuk satu bulan"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="bayar pensiun satu bulan (dan rapelan yang tertunda)")
        run.add_argument("--period", required=True, help="TTTT-BB")

    def run(self, **options: Any) -> Any:
        return payroll_run(period=Period.parse(options["period"], field="period").sql)
