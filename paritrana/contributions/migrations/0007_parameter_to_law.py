"""The Parameter model now belongs to the law app (law 0001 took over its table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("contributions", "0006_partition_bills"), ("law", "0001_initial")]
    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Parameter")]),
    ]
