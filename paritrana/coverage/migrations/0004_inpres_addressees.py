"""The Inpres 2/2021 addressees and instructions (regulation.md §5): the ministers the stored sources
name (and those inferred from their follow-up, marked unconfirmed), the Attorney General, three agency
heads, the BPJS board, and a governor for each province and a regent or mayor for each regency/city."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data"


def load(apps, schema_editor):
    Addressee = apps.get_model("coverage", "Addressee")
    Instruction = apps.get_model("coverage", "Instruction")
    Region = apps.get_model("regions", "Region")
    with (DATA / "inpres.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Addressee.objects.update_or_create(
                kind=row["kind"],
                title=row["title"],
                region=None,
                defaults={"confirmed": row["confirmed"] == "true", "source": row["source"]},
            )
    for province in Region.objects.filter(level=1):
        Addressee.objects.update_or_create(
            kind="governor",
            title=f"Gubernur {province.name}",
            region=province,
            defaults={"source": "Inpres 2/2021 Diktum Kesatu (para gubernur)"},
        )
    for regency in Region.objects.filter(level=2):
        is_city = regency.kind == "kota"
        name = regency.name.removeprefix("Kota ").removeprefix("Kabupaten ")
        Addressee.objects.update_or_create(
            kind="regent",
            title=f"{'Wali Kota' if is_city else 'Bupati'} {name}",
            region=regency,
            defaults={"source": "Inpres 2/2021 Diktum Kesatu (para bupati/wali kota)"},
        )
    with (DATA / "instructions.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Instruction.objects.get_or_create(
                kind=row["kind"], title=row["title"], text=row["text"], source=row["source"]
            )


class Migration(migrations.Migration):
    dependencies = [("coverage", "0003_inpres"), ("regions", "0002_load_reference")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
