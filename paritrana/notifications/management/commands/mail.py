"""``paritrana mail``: the e-mail outbox by hand (the jobs do the same every minute and every morning).

- ``mail send [--limit N]`` sends the due rows: ``{"sent", "refused", "failed", "waiting"}``;
- ``mail overdue [--today YYYY-MM-DD]`` writes the notices of bills overdue on that day: ``{"queued"}``;
- ``mail status`` counts the outbox rows by status: ``{"waiting", "sent", "refused"}``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from paritrana.contributions.batch.overdue import overdue_notify
from paritrana.core.commands import JsonCommand

from ... import selectors, services


class Command(JsonCommand):
    help = "Notifikasi e-mail: kirim isi kotak keluar, catat tagihan lewat jatuh tempo, hitung status"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        send = sub.add_parser("send", help="kirim surel yang menunggu")
        send.add_argument("--limit", type=int, default=5000)
        overdue = sub.add_parser("overdue", help="catat pemberitahuan tagihan yang lewat jatuh tempo")
        overdue.add_argument("--today", help="YYYY-MM-DD (bawaan: hari ini)")
        sub.add_parser("status", help="jumlah surel per status")

    def run(self, **options: Any) -> Any:
        what = options["what"]
        if what == "send":
            return services.mail_send(limit=max(1, options["limit"]))
        if what == "overdue":
            try:
                today = date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
            except ValueError:
                self.fail("date_invalid", "Tanggal harus YYYY-MM-DD.", "today")
            return overdue_notify(today)
        return selectors.outbox_counts()
