"""The SQL twins of the NIK rules that set-based enrolment validation uses (enrolment/sql.py)."""

from django.db import migrations

from paritrana.enrolment.sql import DROP, FUNCTIONS


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunSQL(FUNCTIONS, DROP)]
