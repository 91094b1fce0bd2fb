"""The steps' own index on the pension goes: the unique (pension, start) leads with the pension and
serves every lookup; one index less for the payroll's index step to write into. (Django's AlterField
to db_index=False leaves the index in place here, so it is dropped by name.)"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("benefits", "0011_partition_payments")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS benefits_pensionstep_pension_id_992fe557",
                    "CREATE INDEX benefits_pensionstep_pension_id_992fe557 ON benefits_pensionstep (pension_id)",
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="pensionstep",
                    name="pension",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="steps",
                        to="benefits.pension",
                    ),
                )
            ],
        )
    ]
