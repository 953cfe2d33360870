"""Every existing episode's measure summary, computed by the same code the actions use (on an empty
database it reads nothing; `backto summaries_rebuild` does the same at any time)."""

from django.db import migrations


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    from backto.capabilities.measures.summary import measure_summaries_rebuild_all

    measure_summaries_rebuild_all(
        episodes=apps.get_model("patients", "Episode"),
        administrations=apps.get_model("measures", "Administration"),
        summaries=apps.get_model("measures", "EpisodeMeasureSummary"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0004_episode_measure_summary"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
