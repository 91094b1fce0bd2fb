"""``paritrana serve`` started by a test on the test's own database (issue 30), as an operator starts
it: its web server, job workers and periodic jobs; ready when ``/readyz`` says so with a job worker
beating. Stopped with SIGTERM, as systemd stops it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - our own local server
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read()


def env_on_test_database(**extra: str) -> dict[str, str]:
    """The environment of a process of its own (the CLI, a job, a server) on this test's database."""
    name = connection.settings_dict["NAME"]
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.test", **extra)
    if env.get("DATABASE_URL"):
        env["DATABASE_URL"] = urlparse(env["DATABASE_URL"])._replace(path=f"/{name}").geturl()
    else:
        env["PARITRANA_DB_NAME"] = name
    return env


@contextmanager
def serving(files: Path, **extra_env: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    env = env_on_test_database(PARITRANA_FILES_DIR=str(files), **extra_env)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "paritrana.cli", "serve", "--bind", f"127.0.0.1:{port}", "--web-workers", "1",
         "--job-workers", "1", "--stop-seconds", "20"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, "paritrana serve stopped"
            assert time.monotonic() < deadline, "paritrana serve never became ready"
            try:
                status, _, body = get(f"{base}/readyz")
                if status == 200 and json.loads(body)["checks"]["jobs"]["workers"] >= 1:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        yield base, server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(60)
            except subprocess.TimeoutExpired:
                server.kill()
