"""The reference table for the birth date a NIK encodes (enrolment/sql.py LOOKUPS)."""

from django.db import migrations

from paritrana.enrolment.sql import LOOKUPS, LOOKUPS_DROP


class Migration(migrations.Migration):
    dependencies = [("enrolment", "0007_inline_functions")]
    operations = [migrations.RunSQL(LOOKUPS, LOOKUPS_DROP)]
