"""Bills and payments carry their payer as one bigint, ``payer_key`` (issue 32): on a Citus cluster
they are distributed by it (docs/scale.md). The value is billing.sql's (sponsor × 3 + 1, employer ×
3 + 2, participant × 3); a CHECK keeps it equal to the payer's column. Filled for the rows already
written, then required."""

import django.db.models.functions.comparison
from django.db import migrations, models

FILL = """
UPDATE contributions_bill SET payer_key = coalesce(sponsor_id * 3 + 1, employer_id * 3 + 2, person_id * 3);
UPDATE contributions_payment SET payer_key = coalesce(sponsor_id * 3 + 1, employer_id * 3 + 2, person_id * 3);
"""


def _matches(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(
            payer_key=django.db.models.functions.comparison.Coalesce(
                models.F("sponsor_id") * 3 + 1, models.F("employer_id") * 3 + 2, models.F("person_id") * 3
            )
        ),
        name=name,
    )


class Migration(migrations.Migration):
    dependencies = [("contributions", "0008_line_person")]
    operations = [
        migrations.AddField(
            model_name="bill", name="payer_key", field=models.BigIntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            model_name="payment", name="payer_key", field=models.BigIntegerField(editable=False, null=True)
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(model_name="bill", name="payer_key", field=models.BigIntegerField(editable=False)),
        migrations.AlterField(model_name="payment", name="payer_key", field=models.BigIntegerField(editable=False)),
        migrations.AddConstraint(model_name="bill", constraint=_matches("bill_payer_key")),
        migrations.AddConstraint(model_name="payment", constraint=_matches("payment_payer_key")),
    ]
