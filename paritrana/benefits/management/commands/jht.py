"""``paritrana jht credit [--from YYYY-MM --to YYYY-MM]`` and ``paritrana jht return --year YYYY``:
the JHT ledger jobs (batch/jht.py); each prints its run as JSON."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import CommandParser

from paritrana.benefits.batch.jht import jht_credit, jht_return_credit
from paritrana.core.commands import JsonCommand
from paritrana.core.periods import Period


class Command(JsonCommand):
    help = "Rekening JHT: kreditkan iuran yang lunas dan hasil pengembangan tahunan"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        credit = sub.add_parser("credit", help="kreditkan iuran JHT bulan yang tagihannya lunas")
        credit.add_argument("--from", dest="first", help="TTTT-BB")
        credit.add_argument("--to", dest="last", help="TTTT-BB")
        yearly = sub.add_parser("return", help="kreditkan hasil pengembangan satu tahun program")
        yearly.add_argument("--year", type=int, required=True)

    def run(self, **options: Any) -> Any:
        if options["action"] == "credit":
            return jht_credit(
                first=Period.parse(options["first"], field="from").sql if options["first"] else date(1900, 1, 1),
                last=Period.parse(options["last"], field="to").sql if options["last"] else date(9999, 12, 1),
            )
        return jht_return_credit(year=options["year"])
