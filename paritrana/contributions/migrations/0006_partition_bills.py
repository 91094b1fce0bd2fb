"""Bills partitioned by month (RANGE on period), like their lines (0005).

A national month is a few hundred thousand bills: billing writes them into a table of their own and
attaches it (batch/partitions.py), so PostgreSQL checks their four foreign keys with one scan each
instead of one lookup per bill at commit, and builds their indexes once.

A partitioned table's unique keys must hold the partition key, so the primary key becomes
(id, period) and both tables pointing at bills do so by (bill_id, period): lines already carry the
period, allocations gain ``bill_period``. Ids still come from one sequence, so Django's ``pk`` (the
id alone) stays unique. The three single-column payer indexes give way to the unique payer-month
index (which leads with the employer) and two partial indexes.
"""

import django.db.models.deletion
from django.db import migrations, models

COLUMNS = """
  id bigint NOT NULL,
  period date NOT NULL,
  due_date date NULL,
  lines integer NOT NULL,
  employer_amount numeric(18, 0) NOT NULL,
  worker_amount numeric(18, 0) NOT NULL,
  government_amount numeric(18, 0) NOT NULL,
  deferred_amount numeric(18, 0) NOT NULL,
  amount_due numeric(18, 0) NOT NULL,
  paid_amount numeric(18, 0) NOT NULL,
  status varchar(8) NOT NULL,
  created_at timestamp with time zone NOT NULL,
  updated_at timestamp with time zone NOT NULL,
  employer_id bigint NULL,
  person_id bigint NULL,
  region_code varchar(13) NOT NULL,
  sponsor_id bigint NULL
"""
NAMES = (
    "id, period, due_date, lines, employer_amount, worker_amount, government_amount, deferred_amount, amount_due,"
    " paid_amount, status, created_at, updated_at, employer_id, person_id, region_code, sponsor_id"
)
PAYER_CHECK = """
  (employer_id IS NOT NULL AND person_id IS NULL AND sponsor_id IS NULL)
  OR (employer_id IS NULL AND person_id IS NULL AND sponsor_id IS NOT NULL)
  OR (employer_id IS NULL AND person_id IS NOT NULL AND sponsor_id IS NULL)
"""

# The table's own constraints, indexes and foreign keys, the same either way of the migration.
KEYS = f"""
ALTER TABLE contributions_bill ADD CONSTRAINT bill_one_per_payer_month
  UNIQUE NULLS NOT DISTINCT (employer_id, sponsor_id, person_id, period);
ALTER TABLE contributions_bill ADD CONSTRAINT contributions_bill_lines_check CHECK (lines >= 0);
ALTER TABLE contributions_bill ADD CONSTRAINT bill_exactly_one_payer CHECK ({PAYER_CHECK});
ALTER TABLE contributions_bill ADD CONSTRAINT bill_paid_not_negative CHECK (paid_amount >= 0);
CREATE INDEX bill_region_period ON contributions_bill (region_code, period);
CREATE INDEX bill_period_status ON contributions_bill (period, status);
CREATE INDEX bill_person ON contributions_bill (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX bill_sponsor ON contributions_bill (sponsor_id) WHERE sponsor_id IS NOT NULL;
ALTER TABLE contributions_bill ADD CONSTRAINT bill_employer_fk
  FOREIGN KEY (employer_id) REFERENCES registry_employer (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE contributions_bill ADD CONSTRAINT bill_sponsor_fk
  FOREIGN KEY (sponsor_id) REFERENCES registry_sponsor (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE contributions_bill ADD CONSTRAINT bill_person_fk
  FOREIGN KEY (person_id) REFERENCES registry_person (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE contributions_bill ADD CONSTRAINT bill_region_fk
  FOREIGN KEY (region_code) REFERENCES regions_region (code) DEFERRABLE INITIALLY DEFERRED;
"""

# The foreign keys into bills carry names Django chose; they are looked up rather than spelled out.
DROP_INCOMING = """
DO $$
DECLARE c record;
BEGIN
  FOR c IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
           WHERE confrelid = 'contributions_bill'::regclass AND contype = 'f'
             AND conrelid IN ('contributions_contributionline'::regclass, 'contributions_allocation'::regclass)
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tbl, c.conname);
  END LOOP;
END $$;
"""

FORWARD = f"""
{DROP_INCOMING}
CREATE TABLE contributions_bill_partitioned ({COLUMNS}) PARTITION BY RANGE (period);
DO $$
DECLARE p date;
BEGIN
  FOR p IN SELECT DISTINCT period FROM contributions_bill LOOP
    EXECUTE format('CREATE TABLE contributions_bill_p%s PARTITION OF contributions_bill_partitioned'
                   ' FOR VALUES FROM (%L) TO (%L)', to_char(p, 'YYYYMM'), p, (p + interval '1 month')::date);
  END LOOP;
END $$;
INSERT INTO contributions_bill_partitioned ({NAMES}) SELECT {NAMES} FROM contributions_bill;
DROP TABLE contributions_bill;
ALTER TABLE contributions_bill_partitioned RENAME TO contributions_bill;
CREATE SEQUENCE contributions_bill_id_seq OWNED BY contributions_bill.id;
SELECT setval('contributions_bill_id_seq', coalesce((SELECT max(id) FROM contributions_bill), 0) + 1, false);
ALTER TABLE contributions_bill ALTER COLUMN id SET DEFAULT nextval('contributions_bill_id_seq');
ALTER TABLE contributions_bill ADD CONSTRAINT contributions_bill_pkey PRIMARY KEY (id, period);
{KEYS}ALTER TABLE contributions_contributionline ADD CONSTRAINT contributionline_bill_fk
  FOREIGN KEY (bill_id, period) REFERENCES contributions_bill (id, period) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE contributions_allocation ADD COLUMN bill_period date;
UPDATE contributions_allocation a SET bill_period = b.period FROM contributions_bill b WHERE b.id = a.bill_id;
ALTER TABLE contributions_allocation ALTER COLUMN bill_period SET NOT NULL;
ALTER TABLE contributions_allocation ADD CONSTRAINT allocation_bill_fk
  FOREIGN KEY (bill_id, bill_period) REFERENCES contributions_bill (id, period) DEFERRABLE INITIALLY DEFERRED;
"""

BACKWARD = f"""
ALTER TABLE contributions_contributionline DROP CONSTRAINT contributionline_bill_fk;
ALTER TABLE contributions_allocation DROP CONSTRAINT allocation_bill_fk;
ALTER TABLE contributions_allocation DROP COLUMN bill_period;
CREATE TABLE contributions_bill_plain (
  {COLUMNS.replace("id bigint NOT NULL,", "id bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,", 1)});
INSERT INTO contributions_bill_plain ({NAMES}) SELECT {NAMES} FROM contributions_bill;
DROP TABLE contributions_bill;
ALTER TABLE contributions_bill_plain RENAME TO contributions_bill;
ALTER INDEX contributions_bill_plain_pkey RENAME TO contributions_bill_pkey;
SELECT setval(pg_get_serial_sequence('contributions_bill', 'id'),
  coalesce((SELECT max(id) FROM contributions_bill), 0) + 1, false);
{KEYS}ALTER TABLE contributions_contributionline ADD CONSTRAINT contributionline_bill_fk
  FOREIGN KEY (bill_id) REFERENCES contributions_bill (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE contributions_allocation ADD CONSTRAINT allocation_bill_fk
  FOREIGN KEY (bill_id) REFERENCES contributions_bill (id) DEFERRABLE INITIALLY DEFERRED;
"""


def _payer(model: str, related: str = "bills") -> models.ForeignKey:
    return models.ForeignKey(
        blank=True,
        db_index=False,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related,
        to=model,
    )


class Migration(migrations.Migration):
    dependencies = [("contributions", "0005_partition_lines")]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(FORWARD, BACKWARD)],
            state_operations=[
                migrations.AlterField(model_name="bill", name="employer", field=_payer("registry.employer")),
                migrations.AlterField(model_name="bill", name="sponsor", field=_payer("registry.sponsor")),
                migrations.AlterField(model_name="bill", name="person", field=_payer("registry.person")),
                migrations.AddIndex(
                    model_name="bill",
                    index=models.Index(condition=models.Q(person__isnull=False), fields=["person"], name="bill_person"),
                ),
                migrations.AddIndex(
                    model_name="bill",
                    index=models.Index(
                        condition=models.Q(sponsor__isnull=False), fields=["sponsor"], name="bill_sponsor"
                    ),
                ),
                migrations.AlterField(
                    model_name="contributionline",
                    name="bill",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contribution_lines",
                        to="contributions.bill",
                    ),
                ),
                migrations.AlterField(
                    model_name="allocation",
                    name="bill",
                    field=models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="allocations",
                        to="contributions.bill",
                    ),
                ),
                migrations.AddField(
                    model_name="allocation",
                    name="bill_period",
                    field=models.DateField(),
                    preserve_default=False,
                ),
            ],
        )
    ]
