"""Rows added to data/parameters.csv after 0003 (JKK care caps, JP survivor conditions and shares, the JP return rate); existing rows are left as edited."""

from typing import Any

from django.db import migrations

from paritrana.benefits.loading import load_benefit_parameters


def forward(apps: Any, schema_editor: Any) -> None:
    load_benefit_parameters(apps.get_model("contributions", "Parameter"))


class Migration(migrations.Migration):
    dependencies = [("benefits", "0003_load_parameters_again")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
