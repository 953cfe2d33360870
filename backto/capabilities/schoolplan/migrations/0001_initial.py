"""The school plan moves here from the progress reader, which only reads it. The table keeps its
name and rows (`database_operations=[]`); only the model's owner in Django's state changes."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_follows(apps, schema_editor, old: str, new: str) -> None:
    """Keep the one content type row (and the permissions that point at it) under the new app
    label, rather than leaving a stale row behind and making a second one."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new, model="schoolplan").exists():
        ContentType.objects.using(db).filter(app_label=old, model="schoolplan").update(
            app_label=new
        )


def forwards(apps, schema_editor) -> None:
    content_type_follows(apps, schema_editor, "progress", "schoolplan")


def backwards(apps, schema_editor) -> None:
    content_type_follows(apps, schema_editor, "schoolplan", "progress")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The table was made by the progress reader's first migration; this one adopts it.
        ("progress", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("patients", "0003_episode_patient_latest"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SchoolPlan",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "attendance_plan",
                            models.TextField(
                                help_text="How the child builds back to full days, e.g. mornings for two weeks, then…"
                            ),
                        ),
                        (
                            "accommodations",
                            models.TextField(
                                blank=True,
                                help_text="What helps at school: a pass to stand and stretch, lift access, extra time.",
                            ),
                        ),
                        (
                            "share_goals",
                            models.BooleanField(
                                default=False,
                                help_text="Name the goals the child is working toward in the letter.",
                            ),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("approved_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "approved_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "episode",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="school_plan",
                                to="patients.episode",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "progress_schoolplan",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
