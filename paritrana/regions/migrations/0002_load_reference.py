"""Load Kepmendagri 300.2.2-2138/2025 regions, historical codes and Sakernas denominators."""

from django.db import migrations


def load(apps, schema_editor):
    from paritrana.regions import loading

    Region = apps.get_model("regions", "Region")
    if not Region.objects.exists():
        with schema_editor.connection.cursor() as cursor:
            loading.copy_regions(cursor.cursor)
    Historical = apps.get_model("regions", "HistoricalRegionCode")
    for row in loading.historical_rows():
        Historical.objects.update_or_create(
            old_code=row["old_code"],
            defaults={
                "name": row["name"],
                "current_id": row["current_code"],
                "changed_in": int(row["changed_in"]),
                "legal_basis": row["legal_basis"],
                "certainty": row["certainty"],
            },
        )
    Workforce = apps.get_model("regions", "WorkforceFigure")
    for period, labour_force, employed, share in loading.NATIONAL_SAKERNAS:
        formal, informal = loading.formal_of(employed, share)
        Workforce.objects.update_or_create(
            region=None,
            period=period,
            defaults={
                "labour_force": labour_force,
                "employed": employed,
                "formal": formal,
                "informal": informal,
                "source": loading.SAKERNAS_SOURCE,
                "illustrative": False,
            },
        )
    for code, round_, province_lf, province_employed, province_share in loading.PROVINCIAL_SAKERNAS:
        formal, informal = loading.formal_of(province_employed, province_share)
        Workforce.objects.update_or_create(
            region_id=code,
            period=round_,
            defaults={
                "labour_force": province_lf,
                "employed": province_employed,
                "formal": formal,
                "informal": informal,
                "source": loading.SAKERNAS_SOURCE + " (provinsi)",
                "illustrative": False,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
