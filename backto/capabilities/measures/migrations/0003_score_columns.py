"""The total and band of each stored result as columns, filled from the results already stored."""

from decimal import Decimal

from django.db import migrations, models


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Administration = apps.get_model("measures", "Administration")
    done = Administration.objects.filter(state="completed")
    batch = []
    for administration in done.only("pk", "result").iterator(chunk_size=2000):
        total = administration.result.get("total")
        administration.score_total = None if total is None else Decimal(total)
        administration.score_band = administration.result.get("band") or ""
        batch.append(administration)
        if len(batch) >= 2000:
            Administration.objects.bulk_update(batch, ["score_total", "score_band"])
            batch = []
    Administration.objects.bulk_update(batch, ["score_total", "score_band"])


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0002_administration_note_clinicmeasure"),
    ]

    operations = [
        migrations.AddField(
            model_name="administration",
            name="score_band",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="administration",
            name="score_total",
            field=models.DecimalField(blank=True, decimal_places=1, max_digits=7, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
