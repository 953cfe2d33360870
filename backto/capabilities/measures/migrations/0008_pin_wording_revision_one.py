"""Answers given before wording was versioned were given with the clinic's one pack of that
instrument version, which became its revision 1: pin them to it, so that a later edit of the
wording does not show them beside words they were not given with."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def pin(apps, schema_editor):
    Administration = apps.get_model("measures", "Administration")
    InstrumentPack = apps.get_model("instruments", "InstrumentPack")
    worded = InstrumentPack.objects.filter(
        clinic=OuterRef("episode__patient__clinic"),
        instrument_id=OuterRef("instrument_id"),
        version=OuterRef("instrument_version"),
        revision=1,
    )
    Administration.objects.filter(instrument_version__gt="", wording_revision__isnull=True).filter(
        Exists(worded)
    ).update(wording_revision=1)


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0007_wording_revisions"),
        ("instruments", "0003_wording_revisions"),
    ]

    operations = [migrations.RunPython(pin, migrations.RunPython.noop)]
