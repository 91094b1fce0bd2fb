"""``paritrana regions stats`` and ``paritrana regions import-workforce FILE``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paritrana.core.errors import ValidationFailed
from paritrana.regions import selectors, services


class Command(BaseCommand):
    help = "Wilayah: statistik dan impor angkatan kerja / regions: counts and workforce import"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("stats", help="jumlah wilayah sebagai JSON")
        imp = sub.add_parser("import-workforce", help="impor CSV angkatan kerja resmi per wilayah dan periode")
        imp.add_argument("file")
        imp.add_argument("--source", required=True, help="sumber data, mis. 'BPS Sakernas Agustus 2024'")
        imp.add_argument("--illustrative", action="store_true", help="tandai angka sebagai ilustrasi (demo)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "stats":
            self.stdout.write(json.dumps(selectors.region_stats()))
            return
        try:
            with open(options["file"], newline="", encoding="utf-8-sig") as handle:
                report = services.workforce_import(
                    handle,
                    source=options["source"],
                    illustrative=options["illustrative"],
                    actor=None,
                    channel="cli",
                )
        except FileNotFoundError as exc:
            raise CommandError(f"Berkas tidak ditemukan: {options['file']}") from exc
        except ValidationFailed as exc:
            self.stdout.write(json.dumps({"imported": 0, "errors": [p.as_dict() for p in exc.problems]}))
            raise CommandError("Impor dibatalkan: berkas tidak sesuai format.") from exc
        self.stdout.write(json.dumps(report))
