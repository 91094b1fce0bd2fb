"""``paritrana synth --persons N --seed S [--provinces 64,65]``: a deterministic synthetic population."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from paritrana.demo.synth.load import synth_run


class Command(BaseCommand):
    help = "Bangkitkan populasi sintetis / generate a synthetic population (COPY, set-based)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--provinces", default="", help="kode provinsi dipisah koma; kosong = semua")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        provinces = [p.strip() for p in options["provinces"].split(",") if p.strip()] or None
        quiet = options["quiet"]

        def progress(step: str, done: int, total: int) -> None:
            if not quiet:
                width = 30
                filled = int(width * done / max(total, 1))
                sys.stderr.write(f"\r  {step:<12} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}")
                if done >= total:
                    sys.stderr.write("\n")
                sys.stderr.flush()

        report = synth_run(persons=options["persons"], seed=options["seed"], provinces=provinces, progress=progress)
        self.stdout.write(json.dumps(report.as_dict()))
