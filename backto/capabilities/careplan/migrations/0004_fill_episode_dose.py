"""Every existing episode's session dose, computed by the same code the actions use (on an empty
database it reads nothing; `backto summaries_rebuild` does the same at any time)."""

from django.db import migrations


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    from backto.capabilities.careplan.dose import session_doses_rebuild_all

    session_doses_rebuild_all(
        episodes=apps.get_model("patients", "Episode"),
        sessions=apps.get_model("careplan", "TherapySession"),
        doses=apps.get_model("careplan", "EpisodeDose"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("careplan", "0003_episode_dose"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
