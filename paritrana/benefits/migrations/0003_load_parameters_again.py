"""Rows added to data/parameters.csv after 0001 (the JHT return rate); existing rows are left as edited."""

from typing import Any

from django.db import migrations

from paritrana.benefits.loading import load_benefit_parameters


def forward(apps: Any, schema_editor: Any) -> None:
    load_benefit_parameters(apps.get_model("contributions", "Parameter"))


class Migration(migrations.Migration):
    dependencies = [("benefits", "0002_claims")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
