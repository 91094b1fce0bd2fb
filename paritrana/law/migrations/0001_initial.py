"""The dated law moves out of contributions into its own app (issue 26): the same rows, the table
renamed from contributions_parameter to law_parameter. The migrations that loaded chapters into
the old table (contributions 0002 and 0004, benefits 0001–0004, enrolment 0004) run first."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [
        ("contributions", "0006_partition_bills"),
        ("benefits", "0004_load_parameters_jkk_care_jp_survivor"),
        ("enrolment", "0004_age_limits"),
    ]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Parameter",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("key", models.CharField(db_index=True, max_length=60, verbose_name="kunci")),
                        ("value", models.DecimalField(decimal_places=6, max_digits=20, verbose_name="nilai")),
                        ("valid_from", models.DateField(verbose_name="berlaku sejak")),
                        ("valid_until", models.DateField(blank=True, null=True, verbose_name="berlaku sampai")),
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
                        ("note", models.CharField(blank=True, default="", max_length=300, verbose_name="catatan")),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "verbose_name": "parameter hukum",
                        "verbose_name_plural": "parameter hukum",
                        "ordering": ["key", "valid_from"],
                        "db_table": "contributions_parameter",
                        "constraints": [
                            models.UniqueConstraint(fields=("key", "valid_from"), name="parameter_key_from_unique"),
                            models.CheckConstraint(
                                condition=models.Q(("valid_until__isnull", True))
                                | models.Q(("valid_until__gte", models.F("valid_from"))),
                                name="parameter_valid_range",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        # The table takes the app's name; its rows, ids and constraints stay as they are.
        migrations.AlterModelTable(name="parameter", table=None),
    ]
