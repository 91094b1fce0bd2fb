"""The age limits bulk enrolment checks, as dated parameter rows (law/data/enrolment.csv)."""

from typing import Any

from django.db import migrations

from paritrana.law.loading import chapter_path, load_parameters

CSV = chapter_path("enrolment")


def forward(apps: Any, schema_editor: Any) -> None:
    load_parameters(apps.get_model("contributions", "Parameter"), CSV)


class Migration(migrations.Migration):
    dependencies = [("enrolment", "0003_parsers"), ("contributions", "0006_partition_bills")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
