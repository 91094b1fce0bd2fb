"""Each contribution line carries its membership's person (issue 32): on a Citus cluster the lines are
distributed by person, beside the person and their memberships (docs/scale.md). Filled from the
membership for the lines already written; billing.sql writes it from then on."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("contributions", "0007_parameter_to_law"), ("registry", "0010_wagechange_person")]
    operations = [
        migrations.AddField(
            model_name="contributionline",
            name="person",
            field=models.ForeignKey(
                null=True,
                db_constraint=False,
                db_index=False,
                on_delete=models.deletion.DO_NOTHING,
                related_name="+",
                to="registry.person",
            ),
        ),
        migrations.RunSQL(
            "UPDATE contributions_contributionline l SET person_id = m.person_id"
            " FROM registry_membership m WHERE m.id = l.membership_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="contributionline",
            name="person",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=models.deletion.DO_NOTHING,
                related_name="+",
                to="registry.person",
            ),
        ),
    ]
