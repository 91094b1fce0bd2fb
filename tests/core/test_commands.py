"""core/commands.py: every command refuses the same way — the API's body on stdout, exit status 1."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command, get_commands, load_command_class

from paritrana.core.commands import JsonCommand

pytestmark = pytest.mark.django_db

# The commands that only build or load data for the demo and benchmarks answer in their own way.
# The demo app's generators, ``serve``, which runs processes (its output is theirs), and Django's
# ``migrate`` (extended with --cluster, core/distribute.py).
NOT_DOMAIN = {"demo", "synth", "synth_list", "serve", "migrate"}


def _refusal(*args: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    with pytest.raises(SystemExit) as stopped:
        call_command(*args, stdout=out)
    return int(str(stopped.value.code)), json.loads(out.getvalue())


def test_every_domain_command_of_paritrana_uses_the_one_door() -> None:
    ours = {name: app for name, app in get_commands().items() if app.startswith("paritrana.")}
    assert ours, "no Paritrana commands found"
    for name, app in ours.items():
        if name in NOT_DOMAIN:
            continue
        assert isinstance(load_command_class(app, name), JsonCommand), name


@pytest.mark.parametrize(
    ("args", "code", "field"),
    [
        (("billing", "run", "--period", "2025-13"), "period_invalid", "period"),
        (("billing", "run", "--period", "2001-01"), "rates_not_in_force", "period"),
        (("jht", "credit", "--from", "maret"), "period_invalid", "from"),
        (("coverage", "refresh", "--period", "2025-1-1"), "period_invalid", "period"),
        (("coverage", "inpres-report", "--semester", "2025-3", "--out", "x.pdf"), "semester_invalid", "semester"),
        (("nik", "check", "6402014403850001", "--birth-date", "31/12/1985"), "date_invalid", "birth_date"),
        (("regions", "import-workforce", "/nonexistent.csv", "--source", "uji"), "file_missing", "file"),
        (("calc", "benefit", "--json", "{"), "json_invalid", None),
    ],
)
def test_a_refusal_is_the_api_body_and_exit_1(args: tuple[str, ...], code: str, field: str | None) -> None:
    status, body = _refusal(*args)
    assert status == 1
    assert body["code"] == code and body["field"] == field and body["message"]
    assert body["errors"][0] == {"code": code, "message": body["message"], "field": field}
