"""What every benchmark does first: the embedded PostgreSQL started (unless ``DATABASE_URL`` names
another server), the benchmark's own database (``PARITRANA_DB_NAME``) created, Django set up."""

from __future__ import annotations

import os


def django_setup() -> None:
    if not os.environ.get("DATABASE_URL"):
        from paritrana.core import embedded_db

        embedded_db.start()
        embedded_db.ensure_database(os.environ["PARITRANA_DB_NAME"])
    import django

    django.setup()
