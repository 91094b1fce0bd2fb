"""Contribution lines partitioned by month (RANGE on period).

The table is re-created (it holds no data a deployment could have yet: billing arrived in 0003) as a
partitioned table with the same columns, the primary key (membership_id, period), the bill index and
both foreign keys; Django's state only learns that the two foreign keys carry no index of their own.
"""

import django.db.models.deletion
from django.db import migrations, models

LINE_COLUMNS = """
  period date NOT NULL,
  segment varchar(5) NOT NULL,
  base numeric(18, 2) NULL,
  jkk_employer numeric(15, 0) NOT NULL DEFAULT 0,
  jkk_worker numeric(15, 0) NOT NULL DEFAULT 0,
  jkm_employer numeric(15, 0) NOT NULL DEFAULT 0,
  jkm_worker numeric(15, 0) NOT NULL DEFAULT 0,
  jht_employer numeric(15, 0) NOT NULL DEFAULT 0,
  jht_worker numeric(15, 0) NOT NULL DEFAULT 0,
  jp_base numeric(18, 2) NULL,
  jp_employer numeric(15, 0) NOT NULL DEFAULT 0,
  jp_worker numeric(15, 0) NOT NULL DEFAULT 0,
  jp_deferred numeric(15, 0) NOT NULL DEFAULT 0,
  jkp_government numeric(15, 0) NOT NULL DEFAULT 0,
  jkp_recomposed numeric(15, 0) NOT NULL DEFAULT 0,
  package_worker numeric(15, 0) NOT NULL DEFAULT 0,
  employer_total numeric(15, 0) NOT NULL DEFAULT 0,
  worker_total numeric(15, 0) NOT NULL DEFAULT 0,
  bill_id bigint NOT NULL,
  membership_id bigint NOT NULL
"""

FORWARD = f"""
DROP TABLE contributions_contributionline;
CREATE TABLE contributions_contributionline ({LINE_COLUMNS}) PARTITION BY RANGE (period);
ALTER TABLE contributions_contributionline ADD CONSTRAINT contributions_contributionline_pkey
  PRIMARY KEY (membership_id, period);
CREATE INDEX line_bill ON contributions_contributionline (bill_id);
ALTER TABLE contributions_contributionline ADD CONSTRAINT contributionline_bill_fk
  FOREIGN KEY (bill_id) REFERENCES contributions_bill (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE contributions_contributionline ADD CONSTRAINT contributionline_membership_fk
  FOREIGN KEY (membership_id) REFERENCES registry_membership (id) DEFERRABLE INITIALLY DEFERRED;
"""

BACKWARD = f"""
DROP TABLE contributions_contributionline;
CREATE TABLE contributions_contributionline ({LINE_COLUMNS}, PRIMARY KEY (membership_id, period));
CREATE INDEX line_bill ON contributions_contributionline (bill_id);
"""


class Migration(migrations.Migration):
    dependencies = [("contributions", "0004_arrears_parameter"), ("registry", "0005_employer_jkk_relief")]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(FORWARD, BACKWARD)],
            state_operations=[
                migrations.AlterField(
                    model_name="contributionline",
                    name="membership",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contribution_lines",
                        to="registry.membership",
                    ),
                ),
                migrations.AlterField(
                    model_name="contributionline",
                    name="bill",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contribution_lines",
                        to="contributions.bill",
                    ),
                ),
            ],
        )
    ]
