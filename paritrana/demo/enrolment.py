"""The demo's bulk enrolment: the Kutai Kartanegara APBD's list of vulnerable workers, as a regency
officer would upload it (a fifth of the rows with the usual mistakes), enrolled, with the year's
budget recorded, so that the upload page, its error report, the cards and the certificate, and the
budget page all have something to show after ``make demo``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from paritrana.demo.synth.load import load_geography
from paritrana.demo.synth.sponsor_lists import sponsor_list
from paritrana.enrolment import services
from paritrana.enrolment.models import Upload
from paritrana.registry.models import Sponsor

FILE_NAME = "demo-kukar-pekerja-rentan.csv"


def demo_upload(*, actor: Any, sponsor: Sponsor, rows: int = 2_000) -> dict[str, Any]:
    if Upload.objects.filter(sponsor=sponsor, file_name=FILE_NAME).exists():
        return {"skipped": True}
    year = timezone.localdate().year
    # An allocation of the size a regency sets aside (Rp1 billion); the page shows what is left.
    services.budget_set(
        actor=actor,
        sponsor_id=sponsor.pk,
        year=year,
        allocation=Decimal(1_000_000_000),
        document=f"DPA {year} (demo)",
        channel="cli",
    )
    listed = sponsor_list(
        load_geography([sponsor.province_id]), rows=rows, regency=sponsor.regency_id or "", seed=2021, defect_share=0.2
    )
    upload = services.upload_create(
        actor=actor, content=listed.csv_bytes(delimiter=";"), file_name=FILE_NAME, sponsor_id=sponsor.pk, channel="cli"
    )
    done = services.upload_run(upload_id=upload.pk, actor=actor, channel="cli")
    return {"upload": done.pk, "rows": done.rows, "invalid": done.invalid, "applied": done.applied}
