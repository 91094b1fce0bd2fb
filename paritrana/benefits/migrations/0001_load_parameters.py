"""The benefit law as dated parameter rows (data/parameters.csv), in the contributions' Parameter table."""

from typing import Any

from django.db import migrations

from paritrana.benefits.loading import load_benefit_parameters


def forward(apps: Any, schema_editor: Any) -> None:
    load_benefit_parameters(apps.get_model("contributions", "Parameter"))


class Migration(migrations.Migration):
    dependencies = [("contributions", "0006_partition_bills")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
