"""``paritrana regions stats`` and ``paritrana regions import-workforce FILE``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from paritrana.core.actors import system_actor
from paritrana.core.commands import JsonCommand
from paritrana.regions import selectors, services


class Command(JsonCommand):
    help = "Wilayah: statistik dan impor angkatan kerja / regions: counts and workforce import"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("stats", help="jumlah wilayah sebagai JSON")
        imp = sub.add_parser("import-workforce", help="impor CSV angkatan kerja resmi per wilayah dan periode")
        imp.add_argument("file")
        imp.add_argument("--source", required=True, help="sumber data, mis. 'BPS Sakernas Agustus 2024'")
        imp.add_argument("--illustrative", action="store_true", help="tandai angka sebagai ilustrasi (demo)")

    def run(self, **options: Any) -> Any:
        if options["action"] == "stats":
            return selectors.region_stats()
        try:
            with open(options["file"], newline="", encoding="utf-8-sig") as handle:
                # A file that does not fit is refused whole (nothing imported), every problem listed.
                return services.workforce_import(
                    handle,
                    source=options["source"],
                    illustrative=options["illustrative"],
                    actor=system_actor(),
                    channel="cli",
                )
        except FileNotFoundError:
            self.fail("file_missing", f"Berkas {options['file']} tidak ada.", "file")
