"""Rows added to law/data/benefits.csv after 0001 (the JHT return rate); existing rows are left as edited."""

from typing import Any

from django.db import migrations

from paritrana.law.loading import chapter_path, load_parameters


def forward(apps: Any, schema_editor: Any) -> None:
    load_parameters(apps.get_model("contributions", "Parameter"), chapter_path("benefits"))


class Migration(migrations.Migration):
    dependencies = [("benefits", "0002_claims")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
