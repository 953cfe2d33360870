"""Every episode's measure summary again, with 0005's code: the baseline and latest FDI scores
now follow the same course order as the results pages (measures.summary.baseline_and_latest),
which differs from before only when two scores were due the same day or an episode had two
baselines."""

from importlib import import_module

from django.db import migrations

fill = import_module(
    "backto.capabilities.measures.migrations.0005_fill_episode_measure_summary"
).fill


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0005_fill_episode_measure_summary"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
