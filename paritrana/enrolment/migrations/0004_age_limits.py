"""The age limits bulk enrolment checks, as dated parameter rows (enrolment/data/parameters.csv)."""

from pathlib import Path
from typing import Any

from django.db import migrations

from paritrana.contributions.loading import load_parameters

CSV = Path(__file__).resolve().parent.parent / "data" / "parameters.csv"


def forward(apps: Any, schema_editor: Any) -> None:
    load_parameters(apps.get_model("contributions", "Parameter"), CSV)


class Migration(migrations.Migration):
    dependencies = [("enrolment", "0003_parsers"), ("contributions", "0006_partition_bills")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
