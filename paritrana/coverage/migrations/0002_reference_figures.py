"""Load the published workforce denominators and the national BPU target (data/*.csv, with sources;
data-sources.md § Workforce denominators). Officials import more through ``paritrana coverage``."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data"


def load(apps, schema_editor):
    Denominator = apps.get_model("coverage", "Denominator")
    Target = apps.get_model("coverage", "Target")
    with (DATA / "denominators.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Denominator.objects.update_or_create(
                region_id=row["region"] or None,
                year=int(row["year"]),
                kind=row["kind"],
                defaults={
                    "value": int(row["value"]),
                    "source": row["source"],
                    "illustrative": row["illustrative"] == "true",
                },
            )
    with (DATA / "targets.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Target.objects.update_or_create(
                region_id=row["region"] or None,
                year=int(row["year"]),
                segment=row["segment"],
                defaults={"value": int(row["value"]), "source": row["source"]},
            )


class Migration(migrations.Migration):
    dependencies = [("coverage", "0001_initial"), ("regions", "0002_load_reference")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
