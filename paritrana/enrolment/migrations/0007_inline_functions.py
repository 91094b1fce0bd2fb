"""The NIK and rupiah rules as inlinable single expressions (enrolment/sql.py INLINE)."""

from django.db import migrations

from paritrana.enrolment.sql import FUNCTIONS, INLINE, PARSERS


class Migration(migrations.Migration):
    dependencies = [("enrolment", "0006_partition_rows")]
    operations = [
        migrations.RunSQL(
            INLINE,
            "DROP FUNCTION enrol_nik_errors(text, date, boolean); DROP FUNCTION enrol_parse_amount(text);"
            + FUNCTIONS
            + PARSERS,
        )
    ]
