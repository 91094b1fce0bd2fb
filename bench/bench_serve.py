"""Benchmark: ``paritrana serve`` against Django's development server under the same load (issue 30).

Same database (the demo's data, in its own database ``paritrana_bench_serve``), same run, one after the
other so that they never share the two cores: Locust, headless, 50 users (bench/locust_paritrana.py:
API NIK lookup, a person's page, the national coverage page, the public contribution calculator) for
``--seconds`` against
  1. ``paritrana serve --web-workers 2 --threads 4 --job-workers 0`` (``--web-workers``, ``--threads``) (Granian;
     ``--server gunicorn`` for the alternative), and
  2. ``paritrana runserver --noreload --insecure`` (threaded), the baseline.
Prints per request kind the count, failures, p50/p95/p99 and throughput of each, and the ratios.
Goals (issue 30): API NIK lookup p99 ≤ 50 ms and ≥ 1.5× the development server's throughput; pages
p95 ≤ 200 ms; no errors.

Run: ``.venv/bin/python bench/bench_serve.py [--users 50] [--seconds 60] [--server granian|gunicorn]``
(loads the demo into its database the first time: a few minutes).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _setup import django_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("PARITRANA_DB_NAME", "paritrana_bench_serve")
os.environ.setdefault("PARITRANA_LOG_LEVEL", "WARNING")
ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(base: str, process: subprocess.Popen[bytes], path: str = "/healthz") -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped"
        try:
            with urllib.request.urlopen(f"{base}{path}", timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{base} never answered")


def _load(
    base: str, users: int, seconds: int, env: dict[str, str], out: Path, think: float
) -> dict[str, dict[str, float]]:
    # Warm-up: every worker process imports and connects before the measured run; and the shared
    # session really is signed in (a page, not the login form).
    session = json.loads(Path(env["PARITRANA_BENCH_SAMPLE"]).read_text())["session"]
    for _ in range(20):
        request = urllib.request.Request(f"{base}/cakupan/", headers={"Cookie": f"sessionid={session}"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            assert "/masuk/" not in answer.url, "the bench's session is not signed in"
    subprocess.run(
        [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locust_paritrana.py"), "--headless", "-u", str(users),
         "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--host", base, "--csv", str(out), "--only-summary",
         "--loglevel", "WARNING"],
        env={**env, "PARITRANA_BENCH_THINK": str(think)}, check=False, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    stats: dict[str, dict[str, float]] = {}
    with open(f"{out}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            stats[row["Name"]] = {
                "requests": float(row["Request Count"]),
                "failures": float(row["Failure Count"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
                "p99": float(row["99%"] or 0),
                "rps": float(row["Requests/s"] or 0),
            }
    return stats


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--server", choices=["granian", "gunicorn"], default="granian")
    parser.add_argument("--web-workers", type=int, default=2, help="paritrana serve's web processes")
    parser.add_argument("--threads", type=int, default=4, help="threads of each web process")
    parser.add_argument("--loads", choices=["both", "think", "capacity"], default="both")
    args = parser.parse_args()
    loads = [(load, think) for load, think in (("think 1-3 s", 3.0), ("no think", 0.0))
             if args.loads == "both" or (args.loads == "think") == bool(think)]  # fmt: skip
    django_setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection

    from paritrana.accounts.services import api_token_create
    from paritrana.core.actors import system_actor

    User = get_user_model()
    if not User.objects.filter(username="admin").exists():
        call_command("demo")
    admin = User.objects.get(username="admin")
    _, token = api_token_create(actor=system_actor(), user=admin, name="bench_serve", days=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, nik FROM registry_person ORDER BY random() LIMIT 2000")
        rows = cursor.fetchall()
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    sample = work / "sample.json"
    # One signed-in session for every simulated user (sessions live in the database both servers share).
    session = SessionStore()
    session[SESSION_KEY] = str(admin.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = admin.get_session_auth_hash()
    session.create()
    sample.write_text(json.dumps({"session": session.session_key,
                                  "persons": [r[0] for r in rows], "niks": [r[1] for r in rows]}))  # fmt: skip
    env = dict(os.environ, PARITRANA_BENCH_SAMPLE=str(sample), PARITRANA_BENCH_TOKEN=token)
    # Two loads on each server: users who think 1–3 s between requests (the latency goals), and users
    # who do not (the throughput each server can give).
    results: dict[tuple[str, str], dict[str, dict[str, float]]] = {}
    for name in ("serve", "runserver"):
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        if name == "serve":
            argv = [str(BIN / "paritrana"), "serve", "--bind", f"127.0.0.1:{port}", "--web-workers",
                    str(args.web_workers), "--threads", str(args.threads), "--job-workers", "0",
                    "--server", args.server]  # fmt: skip
        else:
            argv = [str(BIN / "paritrana"), "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"]
        server = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_ready(base, server)
            for load, think in loads:
                results[(load, name)] = _load(base, args.users, args.seconds, env, work / f"{name}-{think}", think)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(90)

    print(f"\n{args.users} users, {args.seconds} s each load; {platform.machine()}, {os.cpu_count()} cores; "
          f"serve = {args.server}, {args.web_workers} web workers x {args.threads} threads;"
          " Locust on the same machine")  # fmt: skip
    for load, _ in loads:
        print(f"\n{load}")
        print(f"{'request':24} {'server':10} {'n':>7} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'req/s':>7}")
        kinds = [k for k in results[(load, "serve")] if k != "Aggregated"] + ["Aggregated"]
        for kind in kinds:
            for name in ("serve", "runserver"):
                s = results[(load, name)].get(kind)
                if s:
                    print(f"{kind:24} {name:10} {s['requests']:7.0f} {s['failures']:5.0f} {s['p50']:6.0f}"
                          f" {s['p95']:6.0f} {s['p99']:6.0f} {s['rps']:7.1f}")  # fmt: skip
            a, b = results[(load, "serve")].get(kind), results[(load, "runserver")].get(kind)
            if a and b and b["rps"]:
                print(f"{'':24} serve/runserver: throughput {a['rps'] / b['rps']:.2f}x,"
                      f" p99 {a['p99']:.0f} vs {b['p99']:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
