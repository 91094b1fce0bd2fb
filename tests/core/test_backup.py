"""``paritrana db backup`` and ``paritrana db restore`` (issue 30), run as an operator runs them: the
test's database backed up, restored into a fresh database, and every row of every table found there
(counted, and each table's rows compared by a digest of their text)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from paritrana.contributions.batch.billing import billing_run
from paritrana.demo.synth.load import synth_run
from tests.conftest import FLUSHABLE_APPS
from tests.faults.race import other_connection
from tests.serving import env_on_test_database

pytestmark = [pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)]
ROOT = Path(__file__).resolve().parents[2]


def _paritrana(*args: str) -> tuple[int, dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "paritrana.cli", *args],
        env=env_on_test_database(), cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return done.returncode, json.loads(done.stdout.strip().splitlines()[-1])


def _contents(conn: psycopg.Connection[Any]) -> dict[str, tuple[int, str | None]]:
    """Every table of the schema: its row count and a digest of its rows' text, in a fixed order."""
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1"
        )
    ]
    found = {}
    for table in tables:
        row = conn.execute(
            psycopg.sql.SQL("SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM {} t").format(
                psycopg.sql.Identifier(table)
            )
        ).fetchone()
        assert row is not None
        found[table] = (int(row[0]), row[1])
    return found


@pytest.fixture
def restored_name() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restored"
    yield name
    with other_connection() as admin:
        admin.autocommit = True
        admin.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {}").format(psycopg.sql.Identifier(name)))


def test_a_backup_restored_into_a_fresh_database_holds_every_row(
    world: dict[str, Any], tmp_path: Path, restored_name: str
) -> None:
    synth_run(persons=400, seed=5, provinces=["64"])
    billing_run("2025-03")
    dump = tmp_path / "paritrana.dump"
    code, made = _paritrana("db", "backup", "--out", str(dump))
    assert code == 0 and made["bytes"] == dump.stat().st_size > 0
    assert not dump.with_name("paritrana.dump.partial").exists()

    code, done = _paritrana("db", "restore", str(dump), "--database", restored_name)
    assert code == 0 and done["database"] == restored_name
    with other_connection() as source:
        expected = _contents(source)
    params = {**connection.get_connection_params(), "dbname": restored_name}
    keys = ("host", "port", "dbname", "user", "password")
    with psycopg.connect(**{k: v for k, v in params.items() if k in keys}) as copy:
        restored = _contents(copy)
    assert restored == expected
    assert expected["registry_person"][0] > 400 and expected["contributions_bill"][0] > 0
    assert done["tables"] >= len(expected)

    # Again into the same database: refused, the copy untouched; --replace makes it anew.
    code, refused = _paritrana("db", "restore", str(dump), "--database", restored_name)
    assert code == 1 and refused["code"] == "database_not_empty"
    code, again = _paritrana("db", "restore", str(dump), "--database", restored_name, "--replace")
    assert code == 0 and again["tables"] == done["tables"], again
    # A database someone is connected to (a server still running) is not replaced, after a grace for
    # sessions that are only ending.
    with psycopg.connect(**{k: v for k, v in params.items() if k in keys}):
        code, busy = _paritrana("db", "restore", str(dump), "--database", restored_name, "--replace")
    assert code == 1 and busy["code"] == "database_in_use", busy


def test_a_restore_of_a_missing_file_says_so(tmp_path: Path) -> None:
    code, refused = _paritrana("db", "restore", str(tmp_path / "tidak-ada.dump"))
    assert code == 1 and refused["code"] == "backup_missing"
