"""``paritrana billing run --period YYYY-MM``: bill a month, set-based; prints the run as JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paritrana.contributions.batch.billing import billing_run


class Command(BaseCommand):
    help = "Tagihan iuran bulanan / monthly contribution billing"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="tagih satu bulan iuran")
        run.add_argument("--period", required=True, help="TTTT-BB")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = billing_run(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(report.as_dict()))
