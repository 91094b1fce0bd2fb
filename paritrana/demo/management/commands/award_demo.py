"""``paritrana award demo`` (or ``paritrana award_demo``): the demo edition of the Paritrana Award,
this year's, taken through every stage to its winners; prints the edition as JSON."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from paritrana.core.actors import system_actor
from paritrana.core.commands import JsonCommand
from paritrana.demo.award import demo_edition


class Command(JsonCommand):
    help = "Edisi demo Paritrana Award / the demo award edition"

    def run(self, **options: Any) -> Any:
        return demo_edition(actor=system_actor(), today=timezone.localdate())
