"""Packs become a clinic's own. Packs installed before were shown to every clinic, so each one
is kept for every clinic; from now on each clinic installs its own."""

import django.db.models.deletion
from django.db import migrations, models


def give_every_clinic_its_copy(apps, schema_editor):  # type: ignore[no-untyped-def]
    Clinic = apps.get_model("accounts", "Clinic")
    InstrumentPack = apps.get_model("instruments", "InstrumentPack")
    clinics = list(Clinic.objects.order_by("id"))
    for pack in InstrumentPack.objects.filter(clinic__isnull=True):
        if not clinics:
            pack.delete()
            continue
        for clinic in clinics[1:]:
            copy = InstrumentPack.objects.get(pk=pack.pk)
            copy.pk = None
            copy.clinic = clinic
            copy.save()
        pack.clinic = clinics[0]
        pack.save()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_logo_size"),
        ("instruments", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="instrumentpack", name="instrument_pack_one_per_version"
        ),
        migrations.AddField(
            model_name="instrumentpack",
            name="clinic",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="instrument_packs",
                to="accounts.clinic",
            ),
        ),
        migrations.RunPython(give_every_clinic_its_copy, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="instrumentpack",
            name="clinic",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="instrument_packs",
                to="accounts.clinic",
            ),
        ),
        migrations.AddConstraint(
            model_name="instrumentpack",
            constraint=models.UniqueConstraint(
                fields=("clinic", "instrument_id", "version"),
                name="instrument_pack_one_per_clinic_version",
            ),
        ),
    ]
