"""The cell parsers of staged rows (dates and rupiah as typed), enrolment/sql.py."""

from django.db import migrations

from paritrana.enrolment.sql import PARSERS, PARSERS_DROP


class Migration(migrations.Migration):
    dependencies = [("enrolment", "0002_uploads")]
    operations = [migrations.RunSQL(PARSERS, PARSERS_DROP)]
