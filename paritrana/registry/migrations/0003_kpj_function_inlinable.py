from django.db import migrations

from paritrana.registry import sql


class Migration(migrations.Migration):
    """Re-create registry_kpj_from_serial without STRICT so bulk inserts inline it (see sql.py)."""

    dependencies = [("registry", "0002_kpj_and_history")]
    operations = [migrations.RunSQL(sql.KPJ_FUNCTION_SQL, migrations.RunSQL.noop)]
