from typing import Any

from django.db import migrations

from paritrana.law.loading import load_parameters


def forward(apps: Any, schema_editor: Any) -> None:
    load_parameters(apps.get_model("contributions", "Parameter"))


class Migration(migrations.Migration):
    dependencies = [("contributions", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
