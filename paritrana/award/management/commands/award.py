"""``paritrana award``: the Paritrana Award from the shell.

- ``award demo`` makes the demo edition (this year) and takes it through every stage to winners;
- ``award editions`` lists editions; ``award create YEAR [--start D --end D]`` makes one with the
  usual categories; ``award category YEAR --code C --name N --kind province|regency|enterprise
  [--scale S] [--sector K] [--self-nomination]`` adds one (village governments, universities…);
- ``award draw YEAR`` draws the candidates and their indicators from the registry;
- ``award advance YEAR`` closes the open stage and opens the next;
- ``award ranking YEAR CATEGORY`` prints the category's ranking.
Output is JSON; a refusal prints ``{"code","message","field","errors":[...]}`` and exits 1.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from paritrana.core.actors import system_actor
from paritrana.core.commands import JsonCommand
from paritrana.core.errors import NotFound, Problem, ValidationFailed

from ... import services
from ...models import Category, Edition


class Command(JsonCommand):
    help = "Paritrana Award: edisi, kandidat, tahap, peringkat"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("demo")
        sub.add_parser("editions")
        create = sub.add_parser("create")
        create.add_argument("year", type=int)
        create.add_argument("--start", type=date.fromisoformat, default=None)
        create.add_argument("--end", type=date.fromisoformat, default=None)
        category = sub.add_parser("category")
        category.add_argument("year", type=int)
        category.add_argument("--code", required=True)
        category.add_argument("--name", required=True)
        category.add_argument("--kind", required=True, choices=("province", "regency", "enterprise"))
        category.add_argument("--scale", default="")
        category.add_argument("--sector", default="")
        category.add_argument("--self-nomination", action="store_true")
        category.add_argument("--employer-kinds", default="", help="village_government,foundation,…")
        for name in ("draw", "advance"):
            sub.add_parser(name).add_argument("year", type=int)
        ranking = sub.add_parser("ranking")
        ranking.add_argument("year", type=int)
        ranking.add_argument("category")

    def run(self, **options: Any) -> Any:
        what = options["what"]
        if what == "demo":
            # The demo edition is synthetic data, made by the demo app (which depends on the award,
            # never the other way round): handed over by command name, not by import.
            call_command("award_demo", stdout=self.stdout)
            return None
        if what == "editions":
            return [{"year": e.year, "name": e.name, "stage": e.stage} for e in Edition.objects.all()]
        if what == "create":
            e = services.edition_create(
                actor=system_actor(),
                year=options["year"],
                period_start=options["start"],
                period_end=options["end"],
                channel="cli",
            )
            return {"year": e.year, "categories": list(e.categories.values_list("code", flat=True))}
        if what == "category":
            spec = {k: options[k] for k in ("code", "name", "kind", "scale", "sector")}
            c = services.category_add(
                actor=system_actor(),
                year=options["year"],
                channel="cli",
                spec={**spec, "self_nomination": options["self_nomination"]},
            )
            return {"code": c.code, "weights": c.weights}
        if what == "draw":
            return services.candidates_draw(actor=system_actor(), year=options["year"], channel="cli")
        if what == "advance":
            return {"stage": services.stage_advance(actor=system_actor(), year=options["year"], channel="cli").stage}
        if what == "ranking":
            found = Category.objects.filter(edition__year=options["year"], code=options["category"]).first()
            if found is None:
                raise NotFound("Kategori")
            return [
                {
                    "rank": x.rank,
                    "name": x.name,
                    "province": x.province_code,
                    "indicator_score": x.indicator_score,
                    "provincial_score": x.provincial_score,
                    "interview_score": x.interview_score,
                    "final_score": x.final_score,
                    "winner": x.winner,
                }
                for x in found.candidates.filter(eligible=True).order_by(
                    "rank", "-final_score", "-indicator_score", "name"
                )
            ]
        raise ValidationFailed([Problem("command_unknown", "Perintah tidak dikenal.", "what")])
