"""Where a pension's payments stand moves out of the pension's row into a narrow one of its own
(PensionSchedule): the first month, the last month paid, the last proof of life and the amount in
force. The payroll advances every pension each month; on the full record that update rewrote every
row of the widest table of the module (issue 31's bench: 12 s of a 3,000,000-pension month), on the
narrow rows it rewrites a fifth of the bytes. The schedule takes fillfactor 50 (its monthly update
stays HOT); the pensions table, now rewritten only when a pension ends, goes back to the default.

The payroll passes over the pensions that may have ended (an end recorded, or a child's, which ends
at 23) through a partial index on them (``pension_may_end``) instead of reading every pension's row.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED = ("first_period", "paid_through", "confirmed_on", "step_start", "step_amount")

COPY = """
INSERT INTO benefits_pensionschedule (pension_id, first_period, paid_through, confirmed_on, step_start, step_amount)
SELECT id, first_period, paid_through, confirmed_on, step_start, step_amount FROM benefits_pension;
ALTER TABLE benefits_pensionschedule SET (fillfactor = 50);
ALTER TABLE benefits_pension RESET (fillfactor);
"""
UNCOPY = "ALTER TABLE benefits_pension SET (fillfactor = 50)"

DROP = "ALTER TABLE benefits_pension " + ", ".join(f"DROP COLUMN {name}" for name in MOVED)
# Backward: the columns come back filled from the schedule (then the schedule's table is dropped).
RESTORE = """
ALTER TABLE benefits_pension ADD COLUMN first_period date NULL, ADD COLUMN paid_through date NULL,
  ADD COLUMN confirmed_on date NULL, ADD COLUMN step_start date NULL, ADD COLUMN step_amount numeric(15, 0) NULL;
UPDATE benefits_pension p SET first_period = s.first_period, paid_through = s.paid_through,
  confirmed_on = s.confirmed_on, step_start = s.step_start, step_amount = s.step_amount
FROM benefits_pensionschedule s WHERE s.pension_id = p.id;
ALTER TABLE benefits_pension ALTER COLUMN first_period SET NOT NULL, ALTER COLUMN confirmed_on SET NOT NULL,
  ALTER COLUMN step_start SET NOT NULL, ALTER COLUMN step_amount SET NOT NULL;
"""


class Migration(migrations.Migration):
    dependencies = [("benefits", "0012_step_index")]

    operations = [
        migrations.CreateModel(
            name="PensionSchedule",
            fields=[
                (
                    "pension",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="schedule",
                        serialize=False,
                        to="benefits.pension",
                    ),
                ),
                ("first_period", models.DateField(verbose_name="bulan pertama")),
                ("paid_through", models.DateField(blank=True, null=True, verbose_name="dibayar sampai bulan")),
                ("confirmed_on", models.DateField(verbose_name="status terakhir dikonfirmasi")),
                ("step_start", models.DateField(verbose_name="manfaat saat ini sejak")),
                ("step_amount", models.DecimalField(decimal_places=0, max_digits=15, verbose_name="manfaat saat ini")),
            ],
            options={"verbose_name": "jadwal pensiun", "verbose_name_plural": "jadwal pensiun"},
        ),
        migrations.RunSQL(COPY, UNCOPY),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(DROP, RESTORE)],
            state_operations=[migrations.RemoveField(model_name="pension", name=name) for name in MOVED],
        ),
        migrations.AddIndex(
            model_name="pension",
            index=models.Index(
                condition=models.Q(("ended_on__isnull", False), ("kind", "child"), _connector="OR"),
                fields=["id"],
                include=["kind", "birth_date", "ended_on"],
                name="pension_may_end",
            ),
        ),
    ]
