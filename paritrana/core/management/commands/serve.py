"""``paritrana serve [--bind HOST:PORT] [--web-workers N] [--job-workers N] [--server granian|gunicorn]``:
the whole system as it runs in production (issue 30), started and stopped together.

- the static files collected into STATIC_ROOT, named by their content's hash, served by WhiteNoise
  compressed and cached for good (settings: PARITRANA_STATIC_MANIFEST);
- the web server: Granian (WSGI) by default, or Gunicorn, with ``--web-workers`` processes of
  ``--threads`` threads each;
- ``--job-workers`` Procrastinate workers on every queue, which also defer the periodic jobs
  (``jobs-recover`` every minute, core/tasks.py), so a list uploaded on a page is enrolled while its
  uploader watches.

A child that dies is started again (a killed worker's job is put back by ``jobs-recover``). SIGTERM
or Ctrl+C stops the web server and asks the workers to stop: each finishes its running job within
``--stop-seconds``, else it is killed, and the job is put back when the system next runs (every job
resumes where it stopped: docs/reliability.md). Every flag also reads an environment variable
(PARITRANA_BIND, PARITRANA_WEB_WORKERS, PARITRANA_WEB_THREADS, PARITRANA_JOB_WORKERS,
PARITRANA_WEB_SERVER, PARITRANA_STOP_SECONDS): docs/deploy.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

SERVERS = ("granian", "gunicorn")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def web_command(server: str, host: str, port: int, workers: int, threads: int) -> list[str]:
    """The web server's command line (also what the systemd unit and the container run)."""
    if server == "granian":
        return [
            sys.executable, "-m", "granian", "--interface", "wsgi", "--host", host, "--port", str(port),
            "--workers", str(workers), "--blocking-threads", str(threads), "--no-ws", "--log-level", "warning",
            "config.wsgi:application",
        ]  # fmt: skip
    return [
        sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"{host}:{port}",
        "--workers", str(workers), "--threads", str(threads), "--graceful-timeout", "30", "--log-level", "warning",
    ]  # fmt: skip


def job_command(n: int, stop_seconds: int) -> list[str]:
    return [
        sys.executable, "-m", "paritrana.cli", "procrastinate", "worker", "--name", f"paritrana-{os.getpid()}-{n}",
        "--shutdown-graceful-timeout", str(stop_seconds),
    ]  # fmt: skip


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started: list[float] = field(default_factory=list)

    def start(self, env: dict[str, str]) -> None:
        # A session of its own: stopping it reaches the processes it starts (Granian's workers) too.
        self.process = subprocess.Popen(self.argv, env=env, cwd=settings.BASE_DIR, start_new_session=True)  # noqa: S603
        self.started.append(time.monotonic())

    def signal_all(self, signum: int) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signum)

    def gone(self) -> bool:
        """The child and every process of its group have ended."""
        if self.process is None:
            return True
        if self.process.poll() is None:
            return False
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return True
        return False


class Command(BaseCommand):
    help = "Jalankan Paritrana seperti di produksi: server web, pekerja antrean, tugas berkala"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("PARITRANA_BIND", "127.0.0.1:8000"), help="HOST:PORT")
        parser.add_argument("--web-workers", type=int, default=_env_int("PARITRANA_WEB_WORKERS", os.cpu_count() or 1))
        parser.add_argument("--threads", type=int, default=_env_int("PARITRANA_WEB_THREADS", 4))
        parser.add_argument("--job-workers", type=int, default=_env_int("PARITRANA_JOB_WORKERS", 1))
        parser.add_argument("--server", choices=SERVERS, default=os.environ.get("PARITRANA_WEB_SERVER", "granian"))
        parser.add_argument("--stop-seconds", type=int, default=_env_int("PARITRANA_STOP_SECONDS", 60))
        parser.add_argument("--no-collect", action="store_true", help="jangan kumpulkan berkas statis")

    def handle(self, *args: Any, **options: Any) -> None:
        host, _, port = options["bind"].rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"--bind harus HOST:PORT, bukan {options['bind']!r}")
        if options["web_workers"] < 1 or options["threads"] < 1 or options["job_workers"] < 0:
            raise CommandError("--web-workers dan --threads paling sedikit 1; --job-workers paling sedikit 0")
        # Every web process counts its requests into files of one folder, emptied at each start, which
        # /metrics adds up (prometheus-client's multiprocess mode); logs as JSON lines.
        metrics_dir = Path(settings.BASE_DIR) / "var" / "metrics"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        env = dict(os.environ, PARITRANA_STATIC_MANIFEST="1", PROMETHEUS_MULTIPROC_DIR=str(metrics_dir))
        env.setdefault("PARITRANA_LOG_FORMAT", "json")
        # Web threads and job workers live long: each keeps its database connection (settings).
        env.setdefault("PARITRANA_DB_CONN_MAX_AGE", "60")
        if not options["no_collect"]:
            # Collected with the manifest storage the children use (a setting read at start-up).
            self._collect(env)
        web = web_command(options["server"], host, int(port), options["web_workers"], options["threads"])
        children = [Child("web", web)]
        children += [Child(f"jobs-{n}", job_command(n, options["stop_seconds"])) for n in range(options["job_workers"])]
        stopping: list[int] = []

        def stop(signum: int, _frame: Any) -> None:
            stopping.append(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        for child in children:
            child.start(env)
        self.stdout.write(
            json.dumps(
                {
                    "serving": f"http://{host}:{port}/",
                    "server": options["server"],
                    "web_workers": options["web_workers"],
                    "job_workers": options["job_workers"],
                    "pids": {c.name: c.process.pid for c in children if c.process},
                }
            )
        )
        self.stdout.flush()
        try:
            while not stopping:
                for child in children:
                    assert child.process is not None
                    code = child.process.poll()
                    if code is None:
                        continue
                    # Started again, but not in a tight loop: five deaths within a minute end the serve.
                    recent = [t for t in child.started if time.monotonic() - t < 60]
                    if len(recent) >= 5:
                        raise CommandError(f"{child.name} berhenti terus (kode {code}); lihat log di atas")
                    self.stderr.write(f"{child.name} berhenti (kode {code}); dijalankan lagi")
                    child.restarts += 1
                    child.start(env)
                time.sleep(0.5)
        finally:
            self._stop(children, options["stop_seconds"])

    def _collect(self, env: dict[str, str]) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "paritrana.cli", "collectstatic", "--noinput", "--verbosity", "0"],
            env=env, cwd=settings.BASE_DIR, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            raise CommandError(f"collectstatic gagal: {done.stderr[-2000:]}")

    def _stop(self, children: list[Child], stop_seconds: int) -> None:
        """Every child asked to stop: the web server stops taking requests and ends those it serves,
        the workers finish their running job. What is left at the deadline is killed."""
        for child in children:
            child.signal_all(signal.SIGTERM)
        deadline = time.monotonic() + stop_seconds + 5
        while not all(child.gone() for child in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        for child in children:
            if not child.gone():
                child.signal_all(signal.SIGKILL)
            if child.process is not None:
                child.process.wait()
