"""Benchmark: signing in (POST /masuk/, the whole request: lockout counters, password check, audit row,
session) with Argon2id, Paritrana's password hasher, against PBKDF2-SHA256 at Django 5.2's 1,000,000
iterations, the baseline it replaced, side by side in the same run (issue 27: login ≤ 300 ms p95).

Argon2id is kept at Django's parameters (100 MiB of memory, 2 passes, 8 lanes) — stronger against
GPU guessing than PBKDF2 and faster to check here; nothing is weakened to gain time. Each side signs
in the same number of times, alternating, as users whose passwords were hashed by that side.

The national administrator's home page, which the user waits for next, is timed too, over a
synthetic population (``--persons``) billed for three months.

Run: ``.venv/bin/python bench/bench_login.py [--logins N] [--persons N]``; it uses its own database
``paritrana_bench_login`` (embedded PostgreSQL unless DATABASE_URL is set).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _setup import django_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("PARITRANA_DB_NAME", "paritrana_bench_login")
os.environ.setdefault("PARITRANA_LOG_LEVEL", "WARNING")

PASSWORD = "kata-sandi-uji-2026"  # noqa: S105 (the benchmark's synthetic users)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--logins", type=int, default=60)
    parser.add_argument("--persons", type=int, default=100_000, help="population for the home page after login")
    args = parser.parse_args()
    django_setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client, override_settings

    from paritrana.accounts.models import Throttle
    from paritrana.accounts.services import user_provision
    from paritrana.core.actors import system_actor

    call_command("migrate", verbosity=0)
    from paritrana.contributions.batch.billing import billing_run
    from paritrana.contributions.models import Bill
    from paritrana.demo.synth.load import synth_run
    from paritrana.registry.models import Person

    if Person.objects.count() < args.persons:
        synth_run(persons=args.persons, seed=1)
    if not Bill.objects.exists():
        for month in ("2026-08", "2026-09", "2026-10"):
            billing_run(month)
    sides = {"argon2": "argon2", "pbkdf2 (baseline)": "pbkdf2_sha256"}
    users: dict[str, list[str]] = {}
    for side, algorithm in sides.items():
        names = [f"bench.{algorithm}.{i}" for i in range(args.logins)]
        for name in names:
            if not User.objects.filter(username=name).exists():
                user_provision(actor=system_actor(), username=name, password=PASSWORD, role="national_admin")
        # Each side's users keep a hash made by that side's hasher (Django would rehash PBKDF2 on
        # the next sign-in; the baseline's users are reset to PBKDF2 before every attempt).
        User.objects.filter(username__in=names).update(password=make_password(PASSWORD, hasher=algorithm))
        users[side] = names
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher"), settings.PASSWORD_HASHERS[0]

    times: dict[str, list[float]] = {side: [] for side in sides}
    homes: list[float] = []
    for i in range(args.logins):
        for side, algorithm in sides.items():
            name = users[side][i]
            User.objects.filter(username=name).update(password=make_password(PASSWORD, hasher=algorithm))
            client = Client(HTTP_HOST="localhost")
            # The baseline runs as the project did before: PBKDF2 preferred, so nothing is rehashed.
            preferred = [h for h in settings.PASSWORD_HASHERS if algorithm.split("_")[0] in h.lower()]
            with override_settings(PASSWORD_HASHERS=preferred + settings.PASSWORD_HASHERS):
                started = time.perf_counter()
                response = client.post("/masuk/", {"username": name, "password": PASSWORD})
                times[side].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302, (side, response.status_code)
            if side == "argon2":
                # What the user waits for next: their home page (a national administrator's, the
                # heaviest: national counts, arrears and claim queues) over the synthetic population.
                started = time.perf_counter()
                assert client.get(response["Location"]).status_code == 200
                homes.append((time.perf_counter() - started) * 1000)
        Throttle.objects.all().delete()

    def summary(values: list[float]) -> dict[str, float]:
        ordered = sorted(values)
        return {
            "p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1),
            "max_ms": round(ordered[-1], 1),
        }

    result = {
        "logins_per_side": args.logins,
        "persons": Person.objects.count(),
        **{side: summary(values) for side, values in times.items()},
        "home_after_login (national admin)": summary(homes),
        "machine": f"{platform.node()} {os.cpu_count()} CPU, Python {platform.python_version()}",
    }
    argon2, pbkdf2 = result["argon2"], result["pbkdf2 (baseline)"]
    result["p95_ratio_pbkdf2_over_argon2"] = round(pbkdf2["p95_ms"] / argon2["p95_ms"], 2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
