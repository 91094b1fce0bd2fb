"""``paritrana migrate [--cluster]``: Django's migrate, then on a Citus coordinator the distribution
of the schema (issue 32; core/distribute.py, docs/scale.md). ``--cluster`` or the setting
``PARITRANA_CITUS`` (environment) asks for it; without either, a Citus coordinator keeps plain tables."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections, transaction

from paritrana.core import distribute


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Dengan --cluster: sebarkan tabel ke klaster Citus (docs/scale.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--cluster",
            action="store_true",
            help="sebarkan skema ke klaster Citus sesudah migrasi (atau PARITRANA_CITUS=1)",
        )
        parser.add_argument(
            "--shards", type=int, default=None, help="jumlah shard per tabel tersebar (bawaan Citus: 32)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = options.pop("cluster", False) or settings.PARITRANA_CITUS
        shards = options.pop("shards", None)
        super().handle(*args, **options)
        if not wanted:
            return
        connection = connections[options["database"]]
        with transaction.atomic(using=options["database"]), connection.cursor() as cursor:
            if not distribute.is_citus(cursor.cursor):
                raise CommandError(
                    "Basis data ini bukan koordinator Citus (ekstensi citus tidak terpasang): "
                    "jalankan 'paritrana cluster start' atau arahkan DATABASE_URL ke koordinator. [not_citus]"
                )
            done = distribute.distribute(cursor.cursor, shards=shards)
        self.stdout.write(json.dumps({"distributed": done}, ensure_ascii=False))
