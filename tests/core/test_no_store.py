"""Every response to a signed-in person says `Cache-Control: no-store, private` (a record page,
its htmx part, a PDF report, an exercise picture, My account): a shared computer's cache or a
proxy keeps none of it. Static files stay cacheable."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from backto.capabilities.homeprogram.models import Exercise


def no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives and "public" not in directives


@pytest.mark.slow
def test_every_page_of_a_childs_record_and_every_pdf_is_not_stored(
    as_user, client, pat, gina, maya, active
):
    staff = as_user(pat)
    for url in [
        reverse("patient_overview", args=[maya.pk]),
        reverse("progress", args=[active.pk]),
        reverse("goal_list", args=[active.pk]),
        reverse("diary_calendar", args=[maya.pk]),
        reverse("report_pdf", args=[active.pk, "family"]),
        reverse("my_account"),
    ]:
        response = staff.get(url)
        assert response.status_code == 200 and no_store(response), url
    htmx = staff.get(reverse("clinician_home"), headers={"HX-Request": "true"})
    assert no_store(htmx)
    client.logout()
    family = as_user(gina)
    for url in [reverse("family_home"), reverse("exercises_today", args=[active.pk])]:
        assert no_store(family.get(url)), url


def test_an_exercise_picture_is_not_stored(as_user, pat, clinic, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    exercise = Exercise.objects.create(clinic=clinic, name="Hop", category="functional")
    exercise.media.save("hop.png", ContentFile(b"png"))
    response = as_user(pat).get(reverse("exercise_media", args=[exercise.pk]))
    response.close()
    assert no_store(response)


def test_refusals_and_not_found_pages_are_not_stored_either(as_user, otto, maya):
    assert no_store(as_user(otto).get(reverse("patient_overview", args=[maya.pk])))


def test_static_files_stay_cacheable(as_user, pat):
    response = as_user(pat).get("/static/backto/backto.css")
    response.close()
    assert response.status_code == 200 and not no_store(response)
