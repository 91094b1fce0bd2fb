"""The national holidays and collective leave days of 2024–2026 (issue 31 §3), and the parameter that
says whether collective leave counts as a working day."""

from typing import Any

from django.db import migrations, models

from paritrana.law.loading import chapter_path, load_holidays, load_parameters


def load(apps: Any, schema_editor: Any) -> None:
    load_holidays(apps.get_model("law", "Holiday"))
    load_parameters(apps.get_model("law", "Parameter"), chapter_path("contributions"))


class Migration(migrations.Migration):
    dependencies = [("law", "0001_initial")]
    operations = [
        migrations.CreateModel(
            name="Holiday",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(unique=True, verbose_name="tanggal")),
                (
                    "kind",
                    models.CharField(
                        choices=[("national", "Libur nasional"), ("collective_leave", "Cuti bersama")],
                        max_length=16,
                        verbose_name="jenis",
                    ),
                ),
                ("name", models.CharField(max_length=120, verbose_name="nama")),
                ("legal_basis", models.CharField(max_length=200, verbose_name="dasar hukum")),
                ("source", models.CharField(max_length=300, verbose_name="sumber")),
                (
                    "certainty",
                    models.CharField(
                        choices=[
                            ("P", "P — teks pasal"),
                            ("O", "O — pernyataan resmi"),
                            ("S", "S — sumber sekunder"),
                            ("C", "C — dihitung"),
                            ("U", "U — belum pasti"),
                        ],
                        max_length=1,
                        verbose_name="kepastian",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={"verbose_name": "hari libur", "verbose_name_plural": "hari libur", "ordering": ["day"]},
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
