"""``paritrana calc contribution|benefit --json '<input>'``: the calculators from the shell.

Prints the same JSON as ``POST /api/v1/calculator/contribution`` or ``/calculator/benefit``; on bad
input prints ``{"code","message","field","errors":[...]}`` and exits 1. The command lives with the
benefits because they build on the contributions, not the other way round.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import CommandParser

from paritrana.benefits.services import benefit_calculate
from paritrana.contributions.services import contribution_calculate
from paritrana.core.commands import JsonCommand


class Command(JsonCommand):
    help = "Kalkulator iuran dan manfaat / contribution and benefit calculators"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        contribution = sub.add_parser("contribution", help="iuran satu peserta untuk satu bulan")
        contribution.add_argument("--json", dest="payload", required=True, help="masukan JSON, atau - untuk stdin")
        benefit = sub.add_parser("benefit", help="manfaat untuk satu peristiwa (kematian, kecelakaan, PHK, …)")
        benefit.add_argument("--json", dest="payload", required=True, help="masukan JSON, atau - untuk stdin")

    def run(self, **options: Any) -> Any:
        raw = sys.stdin.read() if options["payload"] == "-" else options["payload"]
        try:
            payload = json.loads(raw)
        except json.JSONDecodeError as exc:
            self.fail("json_invalid", f"Masukan bukan JSON yang sah: {exc.msg}.")
        calculator = benefit_calculate if options["what"] == "benefit" else contribution_calculate
        return calculator(payload)
