"""The benefit law as dated parameter rows (law/data/benefits.csv), in the dated Parameter table."""

from typing import Any

from django.db import migrations

from paritrana.law.loading import chapter_path, load_parameters


def forward(apps: Any, schema_editor: Any) -> None:
    load_parameters(apps.get_model("contributions", "Parameter"), chapter_path("benefits"))


class Migration(migrations.Migration):
    dependencies = [("contributions", "0006_partition_bills")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
