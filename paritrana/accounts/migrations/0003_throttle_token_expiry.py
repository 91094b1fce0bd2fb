"""Lockout counted under keys (a name from a client, a client, a name) instead of per username;
API tokens expire. The old counts are transient and are not carried over."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [
        migrations.DeleteModel(name="LoginThrottle"),
        migrations.CreateModel(
            name="Throttle",
            fields=[
                ("key", models.CharField(max_length=255, primary_key=True, serialize=False)),
                ("failures", models.PositiveIntegerField(default=0)),
                ("locked_until", models.DateTimeField(blank=True, null=True)),
                ("last_failure_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
