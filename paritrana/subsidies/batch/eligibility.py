"""Run a round's eligibility over the registry (eligibility.sql): one decision per person with a
membership valid on the round's reference date. Re-running replaces the round's decisions; an
approved round's decisions are frozen (services.round_compute refuses)."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import Any

from django.db import connection

from paritrana.core.periods import month_start

from ..models import Round
from ..rules.rounds import LIST_KINDS

log = logging.getLogger("paritrana.subsidies")

_SQL = Path(__file__).with_name("eligibility.sql").read_text(encoding="utf-8")
_PARTS = re.split(r"^-- step: (\w+)\s*$", _SQL, flags=re.MULTILINE)
STEPS = {name: body.strip().rstrip(";") for name, body in zip(_PARTS[1::2], _PARTS[2::2], strict=True)}


def round_params(round_: Round) -> dict[str, Any]:
    return {
        "round": round_.pk,
        "on": round_.active_on,
        "month": month_start(round_.active_on),
        "segments": list(round_.segments),
        "wage_ceiling": round_.wage_ceiling,
        "ceiling_inclusive": round_.ceiling_inclusive,
        "uses_minimum_wage": round_.minimum_wage_year is not None,
        "minimum_wage_year": round_.minimum_wage_year,
        "provinces_excluded": list(round_.provinces_excluded),
        "regions_included": list(round_.regions_included),
        "sectors": list(round_.sectors),
        "employer_kinds_excluded": list(round_.employer_kinds_excluded),
        "exclusion_kinds": list(round_.exclusion_kinds),
        "list_kinds": list(LIST_KINDS),
    }


def run_eligibility(round_: Round) -> dict[str, Any]:
    """Decide every person; runs inside the caller's transaction. Returns the counts and step times."""
    params = round_params(round_)
    laps: dict[str, float] = {}
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('bsu_eligibility'), %s)", (round_.pk,))
        for step in ("clear", "listed", "facts", "decide", "drop_facts", "drop_listed"):
            t = time.perf_counter()
            # The facts table is named after the round (an identifier, not a parameter).
            sql = STEPS[step].replace("%(round_id)s", str(int(round_.pk)))
            cursor.execute(sql, params)
            laps[step] = round(time.perf_counter() - t, 3)
        cursor.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE eligible) FROM subsidies_decision WHERE round_id = %s
            """,
            (round_.pk,),
        )
        decided, eligible = cursor.fetchone()
        cursor.execute(
            """
            SELECT reason, count(*) FROM subsidies_decision d, unnest(d.reasons) AS reason
            WHERE d.round_id = %s GROUP BY reason ORDER BY 2 DESC, 1
            """,
            (round_.pk,),
        )
        reasons = dict(cursor.fetchall())
    log.info("bsu %s: %s decided, %s eligible %s", round_.code, decided, eligible, laps)
    return {"decided": decided, "eligible": eligible, "reasons": reasons, "steps": laps}
