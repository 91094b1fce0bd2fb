"""Workforce figures imported from BPS tables (regions/services.py ``workforce_import``, through its
command): good rows kept, every bad row reported with its line and code."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from paritrana.regions.models import WorkforceFigure

pytestmark = pytest.mark.django_db


def test_workforce_import_keeps_good_rows_and_reports_bad(tmp_path) -> None:
    path = tmp_path / "angkatan_kerja.csv"
    path.write_text(
        "region_code,period,labour_force,employed,formal,informal\n"
        "64.02,2024-08,400000,380000,150000,230000\n"
        "99.99,2024-08,1,1,1,0\n"
        "64.71,2024-13,1,1,1,0\n"
    )
    out = StringIO()
    call_command("regions", "import-workforce", str(path), "--source", "uji", "--illustrative", stdout=out)
    report = json.loads(out.getvalue())
    assert report["imported"] == 1
    assert [(e["line"], e["code"]) for e in report["errors"]] == [
        (3, "region_unknown"),
        (4, "period_invalid"),
    ]
    figure = WorkforceFigure.objects.get(region_id="64.02", period="2024-08")
    assert figure.employed == 380000 and figure.illustrative
