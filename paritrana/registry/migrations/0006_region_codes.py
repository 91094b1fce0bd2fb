"""A person's regency and province: checked as the village code's prefixes, not by foreign keys."""

import django.db.models.deletion
from django.db import migrations, models

from paritrana.registry import sql


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0003_region_codes"),
        ("registry", "0005_employer_jkk_relief"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="province",
            field=models.ForeignKey(
                db_column="province_code",
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="regency",
            field=models.ForeignKey(
                db_column="regency_code",
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
            ),
        ),
        migrations.RunSQL(sql.PERSON_REGION_CHECK_SQL, sql.PERSON_REGION_CHECK_REVERSE_SQL),
    ]
