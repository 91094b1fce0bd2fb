"""``paritrana nik check NIK [--birth-date YYYY-MM-DD] [--sex L|P]``: the NIK rules as JSON."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from paritrana.core.commands import JsonCommand
from paritrana.core.periods import parse_iso_date
from paritrana.regions.rules.nik import parse_nik
from paritrana.regions.selectors import region_lookup


class Command(JsonCommand):
    help = "Periksa NIK / check a NIK"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check")
        check.add_argument("nik")
        check.add_argument("--birth-date", dest="birth_date")
        check.add_argument("--sex", choices=["L", "P"])

    def run(self, **options: Any) -> Any:
        declared = parse_iso_date(options["birth_date"]) if options.get("birth_date") else None
        if options.get("birth_date") and declared is None:
            self.fail("date_invalid", "--birth-date harus tanggal yang sah berformat TTTT-BB-HH.", "birth_date")
        result = parse_nik(
            options["nik"],
            regions=region_lookup(),
            today=timezone.localdate(),
            declared_birth_date=declared,
            declared_sex=options.get("sex"),
        )
        # The NIK's own findings are the answer, printed whole; an invalid NIK still exits 1.
        self.answer(result.as_dict())
        if not result.valid:
            sys.exit(1)
