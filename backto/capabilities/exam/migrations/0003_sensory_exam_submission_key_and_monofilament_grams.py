"""Two fixes to the sensory exam (issue #19's review):

- `SensoryExam.submission_key`: the form's key, unique, so that an exam sent twice is saved once.
  Existing exams each get a new random key: the column is added nullable, filled row by row, then
  made unique and required (Django's documented way to add a unique field to a table with rows).
- `SensoryFinding.monofilament_g` keeps three decimals: the lightest Semmes-Weinstein filament,
  0.008 g, was stored as 0.01 g. No standard force other than 0.008 g rounds to 0.01 g, so a
  stored 0.01 can only be that filament and is put back to 0.008.

Non-atomic, with the data step in its own transaction: on PostgreSQL a table's rows updated and
then altered in one transaction can fail ("pending trigger events"); on SQLite it changes
nothing."""

import uuid

from django.db import migrations, models


def give_each_exam_a_key(apps, schema_editor):
    SensoryExam = apps.get_model("exam", "SensoryExam")
    db = schema_editor.connection.alias
    for exam in SensoryExam.objects.using(db).filter(submission_key__isnull=True).only("id"):
        SensoryExam.objects.using(db).filter(pk=exam.pk).update(submission_key=uuid.uuid4())


def put_back_the_lightest_filament(apps, schema_editor):
    SensoryFinding = apps.get_model("exam", "SensoryFinding")
    db = schema_editor.connection.alias
    SensoryFinding.objects.using(db).filter(monofilament_g="0.01").update(monofilament_g="0.008")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("exam", "0002_body_map_and_sensory_exam"),
    ]

    operations = [
        migrations.AlterField(
            model_name="sensoryfinding",
            name="monofilament_g",
            field=models.DecimalField(blank=True, decimal_places=3, max_digits=7, null=True),
        ),
        migrations.RunPython(
            put_back_the_lightest_filament, migrations.RunPython.noop, atomic=True
        ),
        migrations.AddField(
            model_name="sensoryexam",
            name="submission_key",
            field=models.UUIDField(null=True),
        ),
        migrations.RunPython(give_each_exam_a_key, migrations.RunPython.noop, atomic=True),
        migrations.AlterField(
            model_name="sensoryexam",
            name="submission_key",
            field=models.UUIDField(
                help_text="The form's key: an exam sent twice (a double tap) is saved once.",
                unique=True,
            ),
        ),
    ]
