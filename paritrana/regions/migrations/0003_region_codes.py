"""Each level's code shape, and a parent that is the code's own prefix."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_load_reference"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="region",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("code__regex", "^[0-9]{2}$"), ("level", 1)),
                    models.Q(
                        ("code__regex", "^[0-9]{2}\\.[0-9]{2}$"),
                        ("level", 2),
                        ("parent", django.db.models.functions.text.Left("code", 2)),
                    ),
                    models.Q(
                        ("code__regex", "^[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}$"),
                        ("level", 3),
                        ("parent", django.db.models.functions.text.Left("code", 5)),
                    ),
                    models.Q(
                        ("code__regex", "^[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}$"),
                        ("level", 4),
                        ("parent", django.db.models.functions.text.Left("code", 8)),
                    ),
                    _connector="OR",
                ),
                name="region_code_by_level",
            ),
        ),
    ]
