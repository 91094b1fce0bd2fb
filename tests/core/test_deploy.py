"""The deployment's settings and files (issue 30, docs/deploy.md): production refuses to start without
its secret and hosts, passes ``check --deploy`` with them, and the command lines the systemd units,
the Dockerfile and the compose file run are ones the commands accept."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from paritrana.core.management.commands.serve import Command as Serve
from paritrana.core.management.commands.serve import web_command

ROOT = Path(__file__).resolve().parents[2]
SECRET = "uji-deploy-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"  # 50+ characters, many distinct


def _production(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    # As a deployment's environment: none of the tests' own settings (the browser tests' permission to
    # call the database from async code among them, which the deploy check rightly refuses).
    kept = ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PARITRANA_") and k not in kept}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


MAIL = {
    "PARITRANA_EMAIL_URL": "smtp://relay.example.go.id:587?starttls=1",
    "PARITRANA_EMAIL_FROM": "noreply@example.go.id",
}


def test_production_refuses_to_start_without_its_secret_or_its_hosts() -> None:
    missing_key = _production("", PARITRANA_ALLOWED_HOSTS="paritrana.example.go.id")
    assert missing_key.returncode != 0 and "PARITRANA_SECRET_KEY" in missing_key.stderr
    weak_key = _production("", PARITRANA_SECRET_KEY="a" * 60, PARITRANA_ALLOWED_HOSTS="paritrana.example.go.id")
    assert weak_key.returncode != 0 and "PARITRANA_SECRET_KEY" in weak_key.stderr
    missing_hosts = _production("", PARITRANA_SECRET_KEY=SECRET)
    assert missing_hosts.returncode != 0 and "PARITRANA_ALLOWED_HOSTS" in missing_hosts.stderr


def test_production_refuses_to_start_without_saying_how_mail_goes() -> None:
    base = {"PARITRANA_SECRET_KEY": SECRET, "PARITRANA_ALLOWED_HOSTS": "paritrana.example.go.id"}
    unsaid = _production("", **base)
    assert unsaid.returncode != 0 and "PARITRANA_EMAIL_URL" in unsaid.stderr
    no_sender = _production("", **base, PARITRANA_EMAIL_URL="smtp://relay.example.go.id:25")
    assert no_sender.returncode != 0 and "PARITRANA_EMAIL_FROM" in no_sender.stderr
    wrong = _production("", **base, PARITRANA_EMAIL_URL="http://relay.example.go.id", PARITRANA_EMAIL_FROM="a@b.id")
    assert wrong.returncode != 0 and "smtp://" in wrong.stderr
    shown = _production(
        "from django.conf import settings as s\n"
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_HOST_USER)",
        **base, PARITRANA_EMAIL_URL="smtps://kantor%40example.go.id:rahasia@relay.example.go.id",
        PARITRANA_EMAIL_FROM="noreply@example.go.id",
    )  # fmt: skip
    assert shown.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend", "relay.example.go.id", "465", "False", "True",
        "kantor@example.go.id",
    ], shown.stderr  # fmt: skip
    none = _production("from django.conf import settings as s\nprint(s.PARITRANA_MAIL_ENABLED)", **base,
                       PARITRANA_EMAIL_URL="none")  # fmt: skip
    assert none.stdout.split() == ["False"], none.stderr


def test_production_with_its_settings_passes_the_deploy_check() -> None:
    checked = _production(
        "from django.core.management import call_command\n"
        "call_command('check', '--deploy', '--fail-level', 'WARNING')",
        PARITRANA_SECRET_KEY=SECRET, PARITRANA_ALLOWED_HOSTS="paritrana.example.go.id", **MAIL,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr[-2000:]


def _paritrana_lines() -> list[list[str]]:
    """Every ``paritrana …`` command line of the deployment files, as argument lists after the program."""
    lines: list[list[str]] = []
    for unit in sorted((ROOT / "deploy" / "systemd").glob("*.service")):
        for match in re.finditer(r"^ExecStart(?:Pre)?=(.+)$", unit.read_text(), re.MULTILINE):
            lines.append(shlex.split(match.group(1).replace("%H", "host"))[1:])
    cmd = re.search(r"^CMD (\[.+\])$", (ROOT / "deploy" / "Dockerfile").read_text(), re.MULTILINE)
    assert cmd
    lines.append(yaml.safe_load(cmd.group(1))[1:])
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    lines += [service["command"][1:] for service in compose["services"].values() if "command" in service]
    return lines


def test_the_deployment_files_run_commands_that_exist_with_flags_they_accept() -> None:
    lines = _paritrana_lines()
    assert {line[0] for line in lines} == {"serve", "procrastinate", "migrate"}
    worker_help = subprocess.run(
        [sys.executable, "-m", "paritrana.cli", "procrastinate", "worker", "--help"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    for line in lines:
        if line[0] == "serve":
            parsed = Serve().create_parser("paritrana", "serve").parse_args(line[1:])
            assert parsed.job_workers == 0 and parsed.web_workers >= 2  # workers run in their own unit
            host, _, port = (parsed.bind or "0.0.0.0:8000").rpartition(":")
            assert "config.wsgi:application" in web_command(parsed.server, host, int(port), 2, 4)
        elif line[0] == "procrastinate":
            assert line[1] == "worker"
            for flag in (arg for arg in line[2:] if arg.startswith("--")):
                assert flag in worker_help, flag
        else:
            assert line == ["migrate", "--noinput"]


@pytest.mark.parametrize("server", ["granian", "gunicorn"])
def test_both_web_servers_are_installed(server: str) -> None:
    assert subprocess.run([sys.executable, "-m", server, "--version"], capture_output=True, timeout=60).returncode == 0
