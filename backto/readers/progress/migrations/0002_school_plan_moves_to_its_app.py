"""The school plan is written, so it moved out of this reader into its own capability app
(`schoolplan`). Only Django's idea of which app owns the model changes: the table
`progress_schoolplan` and its rows stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0001_initial"),
        ("schoolplan", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SchoolPlan")],
            database_operations=[],
        ),
    ]
