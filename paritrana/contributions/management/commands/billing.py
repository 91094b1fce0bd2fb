"""``paritrana billing run --period YYYY-MM``: bill a month, set-based; prints the run as JSON."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from paritrana.contributions.batch.billing import billing_run
from paritrana.core.commands import JsonCommand


class Command(JsonCommand):
    help = "Tagihan iuran bulanan / monthly contribution billing"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="tagih satu bulan iuran")
        run.add_argument("--period", required=True, help="TTTT-BB")

    def run(self, **options: Any) -> Any:
        return billing_run(options["period"]).as_dict()
