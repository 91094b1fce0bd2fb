"""``paritrana link``: outside lists matched against the registry from the shell.

- ``link run --list FILE --kind kur|prakerja|other [--name N] [--bank B] [--year Y] [--cohort C]
  [--mapping JSON] [--truth COLUMN] [--retrain] [--engine duckdb|spark] [--json]`` imports the list
  and matches it at once;
  prints ``{"records","matched","covered_active","covered_lapsed","not_covered","ambiguous","seconds"}``
  and, with a truth column (the registered NIK of the person each row really is, empty when not
  registered), ``"precision","recall","f1"``.
  ``--engine spark`` trains and scores on Spark (``batch.spark``, the scale-out path).
- ``link rerun LIST_ID [--retrain] [--engine duckdb|spark]`` matches an imported list again (a new run).
- ``link lists`` and ``link models`` list what is stored; ``link outreach RUN --out F.csv|F.xlsx
  [--branch CODE]`` writes the non-covered persons to contact.
A refusal prints ``{"code","message","field","errors":[...]}`` and exits 1.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from paritrana.core.actors import system_actor
from paritrana.core.commands import JsonCommand
from paritrana.core.errors import Problem, ValidationFailed
from paritrana.linkage.batch.run import run_execute

from ... import selectors, services


class Command(JsonCommand):
    help = "Pencocokan daftar luar (KUR, Prakerja) dengan registri / match outside lists against the registry"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        run = sub.add_parser("run", help="impor daftar lalu cocokkan")
        run.add_argument("--list", required=True, dest="file")
        run.add_argument("--kind", required=True, choices=("kur", "prakerja", "other"))
        run.add_argument("--name", default="")
        run.add_argument("--bank", default="")
        run.add_argument("--year", type=int, default=None)
        run.add_argument("--cohort", default="")
        run.add_argument("--mapping", default=None, help='JSON {"name": "NAMA DEBITUR", ...}')
        run.add_argument("--truth", default=None, help="kolom NIK sebenarnya (uji ketepatan)")
        run.add_argument("--retrain", action="store_true", help="latih model baru")
        run.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb", help="mesin pelatihan dan skor")
        run.add_argument("--json", action="store_true")
        rerun = sub.add_parser("rerun", help="cocokkan ulang daftar yang sudah diimpor")
        rerun.add_argument("list_id", type=int)
        rerun.add_argument("--retrain", action="store_true")
        rerun.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
        sub.add_parser("lists", help="daftar luar yang tersimpan")
        sub.add_parser("models", help="versi model")
        outreach = sub.add_parser("outreach", help="daftar penjangkauan (belum terlindungi)")
        outreach.add_argument("run", type=int)
        outreach.add_argument("--out", required=True)
        outreach.add_argument("--branch", default=None)

    def run(self, **options: Any) -> Any:
        what = options["what"]
        if what == "run":
            started = time.perf_counter()
            path = Path(options["file"])
            if not path.is_file():
                raise ValidationFailed([Problem("file_missing", f"Berkas {path} tidak ada.", "list")])
            mapping = json.loads(options["mapping"]) if options["mapping"] else None
            listed = services.list_import(
                actor=system_actor(),
                path=path,
                file_name=path.name,
                kind=options["kind"],
                name=options["name"],
                bank=options["bank"],
                year=options["year"],
                cohort=options["cohort"],
                mapping=mapping,
                truth=options["truth"],
                channel="cli",
            )
            run = services.run_create(
                actor=system_actor(),
                list_id=listed.pk,
                retrain=options["retrain"],
                channel="cli",
                engine_name=options["engine"],
            )
            run = run_execute(run.pk)
            return selectors.run_report(run, truth=bool(options["truth"]), seconds=time.perf_counter() - started)
        if what == "rerun":
            started = time.perf_counter()
            run = services.run_create(
                actor=system_actor(),
                list_id=options["list_id"],
                retrain=options["retrain"],
                channel="cli",
                engine_name=options["engine"],
            )
            run = run_execute(run.pk)
            return selectors.run_report(run, truth=True, seconds=time.perf_counter() - started)
        if what == "lists":
            return [
                {
                    "id": x.pk,
                    "name": x.name,
                    "kind": x.kind,
                    "rows": x.rows,
                    "origin": x.origin,
                    "imported_at": x.imported_at,
                }
                for x in selectors.list_lists(actor=system_actor(), channel="cli")
            ]
        if what == "models":
            return selectors.model_list()
        if what == "outreach":
            out = Path(options["out"])
            rows = selectors.outreach_rows(
                actor=system_actor(), run_id=options["run"], branch=options["branch"], channel="cli"
            )
            out.write_bytes(selectors.outreach_file(rows, xlsx=out.suffix.lower() == ".xlsx"))
            return {"rows": len(rows), "out": str(out)}
        raise ValidationFailed([Problem("command_unknown", "Perintah tidak dikenal.", "what")])
