"""``paritrana jobs recover``: put back the queue's jobs whose worker died and mark failed the ledger
rows whose process is gone (the workers do it every minute; this is for an operator after a crash)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from paritrana.core.commands import JsonCommand
from paritrana.core.tasks import STALLED_SECONDS, jobs_recover


class Command(JsonCommand):
    help = "Pemulihan pekerjaan latar / background job recovery"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        recover = sub.add_parser("recover", help="kembalikan pekerjaan yang pekerjanya mati ke antrean")
        recover.add_argument(
            "--silent-seconds",
            type=float,
            default=STALLED_SECONDS,
            help="pekerja dianggap mati bila tidak memberi tanda selama ini (detik)",
        )

    def run(self, **options: Any) -> Any:
        return jobs_recover(seconds_since_heartbeat=options["silent_seconds"])
