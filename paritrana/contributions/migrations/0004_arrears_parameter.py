from typing import Any

from django.db import migrations

from paritrana.law.loading import load_parameters


def forward(apps: Any, schema_editor: Any) -> None:
    # Adds rows new in law/data/contributions.csv (here arrears.inactive_after_months); existing rows untouched.
    load_parameters(apps.get_model("contributions", "Parameter"))


class Migration(migrations.Migration):
    dependencies = [("contributions", "0003_billing")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
