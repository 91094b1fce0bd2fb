"""The ``paritrana`` command: Paritrana's management commands, on the demo's database.

``paritrana db start|stop|status`` manages the embedded PostgreSQL server; every other command starts
it when ``DATABASE_URL`` is unset, so an operator can run commands beside the web server.
"""

from __future__ import annotations

import json
import os
import sys


def _db_command(args: list[str]) -> int:
    from paritrana.core import embedded_db

    action = args[0] if args else "status"
    if os.environ.get("DATABASE_URL"):
        print(json.dumps({"embedded": False, "message": "DATABASE_URL di-set: server tertanam tidak dipakai"}))
        return 0
    if action == "start":
        status = embedded_db.ensure_running()
    elif action == "stop":
        status = embedded_db.stop()
    elif action == "status":
        status = embedded_db.status()
    else:
        print("pemakaian / usage: paritrana db start|stop|status", file=sys.stderr)
        return 2
    print(json.dumps({"embedded": True, **status.as_dict()}))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if args[:1] == ["db"]:
        return _db_command(args[1:])
    if not os.environ.get("DATABASE_URL") and args[:1] not in (["help"], ["--help"], ["-h"], ["version"], []):
        from paritrana.core import embedded_db

        embedded_db.ensure_running()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["paritrana", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
