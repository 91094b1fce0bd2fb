"""``paritrana synth_list --records N --out F.csv [--profile easy|hard|real] [--seed S] [--kind kur]``:
a noisy outside list drawn from the registry and from persons it has never seen, with the truth
column ``NIK_SEBENARNYA``, and beside it ``F.families.csv``: each line's damages (issue 28 §5)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from paritrana.demo.synth.outside_lists import PROFILES, families_path, generate_list


class Command(BaseCommand):
    help = "Bangkitkan daftar luar sintetis berderau dengan kebenaran dasar / generate a noisy list with ground truth"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--records", type=int, required=True)
        parser.add_argument("--out", required=True)
        parser.add_argument("--profile", choices=sorted(PROFILES), default="hard")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--kind", choices=("kur", "prakerja", "other"), default="kur")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        made = generate_list(
            Path(options["out"]),
            records=options["records"],
            profile=options["profile"],
            seed=options["seed"],
            kind=options["kind"],
        )
        self.stdout.write(
            json.dumps(
                {
                    **made,
                    "out": options["out"],
                    "families": str(families_path(Path(options["out"]))),
                    "seconds": round(time.perf_counter() - started, 2),
                }
            )
        )
