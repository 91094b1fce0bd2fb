"""The load of bench/bench_serve.py (Locust): a branch office's and the public's daily traffic.

Each simulated user holds a national administrator's session for the pages (the bench signs in
once) and a Bearer token for the API, then, with PARITRANA_BENCH_THINK seconds' thought at most between requests (none:
the server's capacity), looks up a NIK through the
API, opens a person's page, opens the national coverage page, or asks the public contribution
calculator. The NIKs and person ids come from the bench database (PARITRANA_BENCH_SAMPLE, a JSON file
the bench writes); the token from PARITRANA_BENCH_TOKEN.
"""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, constant, task

SAMPLE = json.loads(open(os.environ["PARITRANA_BENCH_SAMPLE"]).read())  # noqa: SIM115
TOKEN = os.environ["PARITRANA_BENCH_TOKEN"]
# Seconds a user thinks between requests, at most (from nothing up to it); 0: none, the server's capacity.
THINK = float(os.environ.get("PARITRANA_BENCH_THINK", "0"))


class Officer(HttpUser):
    wait_time = between(THINK / 3, THINK) if THINK else constant(0)

    def on_start(self) -> None:
        # Signed in already (the bench signs in once: fifty sign-ins of one account from one address
        # in a few seconds are the login throttle's business, not the server's).
        self.client.cookies.set("sessionid", SAMPLE["session"])

    @task(4)
    def nik_lookup(self) -> None:
        self.client.get(
            f"/api/v1/persons?q={random.choice(SAMPLE['niks'])}",
            headers={"Authorization": f"Bearer {TOKEN}"},
            name="API: cari NIK",
        )

    @task(3)
    def person_page(self) -> None:
        self.client.get(f"/orang/{random.choice(SAMPLE['persons'])}/", name="halaman orang")

    @task(2)
    def coverage_page(self) -> None:
        self.client.get("/cakupan/", name="cakupan nasional")

    @task(2)
    def calculator(self) -> None:
        wage = random.randrange(2_000_000, 20_000_000, 50_000)
        self.client.post(
            "/api/v1/calculator/contribution",
            json={"segment": "PU", "period": "2025-03", "wage": wage, "jkk_risk_group": random.randint(1, 5)},
            name="API: kalkulator iuran",
        )
