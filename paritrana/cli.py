"""The ``paritrana`` command: Paritrana's management commands, on the demo's database.

``paritrana db start|stop|status`` manages the embedded PostgreSQL server, ``paritrana db backup|restore``
backs any of them up (core/backup.py), ``paritrana cluster build|start|stop|status`` a Citus cluster of
embedded servers (core/cluster.py); every other command starts
it when ``DATABASE_URL`` is unset, so an operator can run commands beside the web server.
"""

from __future__ import annotations

import json
import os
import sys


def _backup_command(action: str, args: list[str]) -> int:
    import argparse
    from pathlib import Path

    from paritrana.core import backup

    parser = argparse.ArgumentParser(prog=f"paritrana db {action}")
    if action == "backup":
        parser.add_argument("--out", required=True, help="berkas cadangan (format custom pg_dump)")
    else:
        parser.add_argument("file", help="berkas cadangan dari paritrana db backup")
        parser.add_argument("--database", help="pulihkan ke basis data ini (bawaan: basis data Paritrana)")
        parser.add_argument("--replace", action="store_true", help="ganti basis data yang sudah berisi")
    options = parser.parse_args(args)
    try:
        if action == "backup":
            answer = backup.backup(Path(options.out))
        else:
            answer = backup.restore(Path(options.file), database=options.database, replace=options.replace)
    except backup.BackupError as refused:
        print(json.dumps({"code": refused.code, "message": refused.message, "field": None}, ensure_ascii=False))
        return 1
    print(json.dumps(answer, ensure_ascii=False))
    return 0


def _db_command(args: list[str]) -> int:
    from paritrana.core import embedded_db

    action = args[0] if args else "status"
    if action in ("backup", "restore"):
        return _backup_command(action, args[1:])
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
        print("pemakaian / usage: paritrana db start|stop|status|backup|restore", file=sys.stderr)
        return 2
    print(json.dumps({"embedded": True, **status.as_dict()}))
    return 0


def _cluster_command(args: list[str]) -> int:
    """``paritrana cluster build|start|stop|status`` (issue 32; core/cluster.py): JSON out, and a
    refusal as ``{"code", "message"}`` with exit status 1."""
    import argparse
    from pathlib import Path

    from paritrana.core import cluster

    parser = argparse.ArgumentParser(prog="paritrana cluster")
    actions = parser.add_subparsers(dest="action", required=True)
    built = actions.add_parser("build", help="bangun Citus dari sumbernya (sekali; dipakai ulang)")
    built.add_argument("--source", help="tarball sumber Citus (bawaan: PARITRANA_CITUS_SOURCE atau shared/vendor)")
    started = actions.add_parser("start", help="jalankan koordinator dan pekerja")
    started.add_argument("--workers", type=int, default=cluster.DEFAULT_WORKERS)
    started.add_argument("--port", type=int, default=cluster.DEFAULT_PORT, help="port koordinator; pekerja sesudahnya")
    actions.add_parser("stop", help="hentikan semua node")
    shown = actions.add_parser("status", help="node dan tabel klaster")
    shown.add_argument("--json", action="store_true", help="JSON (bawaan juga JSON)")
    options = parser.parse_args(args)
    try:
        if options.action == "build":
            answer = cluster.build(Path(options.source) if options.source else None)
        elif options.action == "start":
            answer = cluster.start(workers=options.workers, port=options.port)
        elif options.action == "stop":
            answer = cluster.stop()
        else:
            answer = cluster.status()
    except cluster.ClusterError as refused:
        print(json.dumps({"code": refused.code, "message": refused.message, "field": None}, ensure_ascii=False))
        return 1
    print(json.dumps(answer, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if args[:1] == ["db"]:
        return _db_command(args[1:])
    if args[:1] == ["cluster"]:
        return _cluster_command(args[1:])
    if not os.environ.get("DATABASE_URL") and args[:1] not in (["help"], ["--help"], ["-h"], ["version"], []):
        from paritrana.core import embedded_db

        embedded_db.ensure_running()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["paritrana", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
