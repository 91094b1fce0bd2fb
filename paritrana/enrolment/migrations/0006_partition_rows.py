"""Partition the staged rows by upload (one partition per upload, made when the upload is staged)."""

from django.db import migrations

FORWARD = """
CREATE TABLE enrolment_row_partitioned (LIKE enrolment_row INCLUDING ALL) PARTITION BY LIST (upload_id);
INSERT INTO enrolment_row_partitioned SELECT * FROM enrolment_row WHERE false;
DROP TABLE enrolment_row;
ALTER TABLE enrolment_row_partitioned RENAME TO enrolment_row;
"""

BACKWARD = """
CREATE TABLE enrolment_row_plain (LIKE enrolment_row INCLUDING ALL);
DROP TABLE enrolment_row;
ALTER TABLE enrolment_row_plain RENAME TO enrolment_row;
"""


class Migration(migrations.Migration):
    dependencies = [("enrolment", "0005_nik_columns")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
