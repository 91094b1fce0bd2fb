"""``paritrana nik check NIK [--birth-date YYYY-MM-DD] [--sex L|P]``: the NIK rules as JSON."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from paritrana.regions.rules.nik import parse_nik
from paritrana.regions.selectors import region_lookup


class Command(BaseCommand):
    help = "Periksa NIK / check a NIK"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check")
        check.add_argument("nik")
        check.add_argument("--birth-date", dest="birth_date")
        check.add_argument("--sex", choices=["L", "P"])

    def handle(self, *args: Any, **options: Any) -> None:
        declared = None
        if options.get("birth_date"):
            try:
                declared = date.fromisoformat(options["birth_date"])
            except ValueError as exc:
                raise CommandError("--birth-date harus YYYY-MM-DD") from exc
        result = parse_nik(
            options["nik"],
            regions=region_lookup(),
            today=timezone.localdate(),
            declared_birth_date=declared,
            declared_sex=options.get("sex"),
        )
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        if not result.valid:
            raise SystemExit(1)
