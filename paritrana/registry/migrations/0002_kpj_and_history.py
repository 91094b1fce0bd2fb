from django.db import migrations

from paritrana.registry import sql


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [
        migrations.RunSQL(sql.KPJ_SQL, sql.KPJ_REVERSE_SQL),
        migrations.RunSQL(sql.HISTORY_SQL, sql.HISTORY_REVERSE_SQL),
        migrations.RunSQL(sql.REGION_CHECKS_SQL, sql.REGION_CHECKS_REVERSE_SQL),
        migrations.RunSQL(sql.NAME_INDEX_SQL, sql.NAME_INDEX_REVERSE_SQL),
    ]
