"""The registry's change history names the person each change belongs to (issue 32), and the trigger
that writes it runs on a Citus cluster's shards too (registry/sql.py, core/distribute.py)."""

from django.db import migrations, models

from paritrana.registry import sql


class Migration(migrations.Migration):
    dependencies = [("registry", "0010_wagechange_person")]
    operations = [
        migrations.AddField(model_name="changehistory", name="person_id", field=models.BigIntegerField(default=0)),
        migrations.RunSQL(
            """
            UPDATE registry_changehistory SET person_id = row_id WHERE table_name = 'registry_person';
            UPDATE registry_changehistory SET person_id = (old ->> 'person_id')::bigint
            WHERE table_name = 'registry_membership';
            """,
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="changehistory",
            index=models.Index(fields=["person_id", "at"], name="registry_ch_person__b796f0_idx"),
        ),
        migrations.RunSQL(sql.HISTORY_BY_PERSON_SQL, sql.HISTORY_BY_PERSON_REVERSE_SQL),
    ]
