"""Each wage change carries its membership's person (issue 32): on a Citus cluster the changes are
distributed by person, beside the memberships billing joins them to (docs/scale.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_wage_change")]
    operations = [
        migrations.AddField(
            model_name="wagechange",
            name="person",
            field=models.ForeignKey(
                null=True, db_index=False, on_delete=models.deletion.PROTECT, related_name="+", to="registry.person"
            ),
        ),
        migrations.RunSQL(
            "UPDATE registry_wagechange w SET person_id = m.person_id FROM registry_membership m"
            " WHERE m.id = w.membership_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="wagechange",
            name="person",
            field=models.ForeignKey(
                db_index=False, on_delete=models.deletion.PROTECT, related_name="+", to="registry.person"
            ),
        ),
    ]
