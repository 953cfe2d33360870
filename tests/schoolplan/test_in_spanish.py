"""The school plan a Spanish-reading guardian approves, in Spanish (issue 22)."""

import re

from django.urls import reverse

from backto.capabilities.schoolplan.actions import school_plan_save
from tests.i18n.test_family_pages_in_spanish import english_left


def test_a_spanish_guardian_reads_and_approves_the_school_plan_in_spanish(
    as_user, gina, pat, episode
):
    school_plan_save(
        by=pat,
        episode=episode,
        attendance_plan="Medio día la primera semana",
        accommodations="Usar el elevador",
        share_goals=False,
    )
    gina.language = "es"
    gina.save(update_fields=["language"])
    client = as_user(gina)
    url = reverse("school_plan", args=[episode.pk])
    page = client.get(url).content.decode()
    assert "Plan para la escuela de Maya" in page and "Lo que se le dirá a la escuela" in page
    assert english_left(re.search(r"<main.*?</main>", page, re.S)[0]) == []
    shown = re.search(r'name="shown" value="([^"]*)"', page)[1]
    response = client.post(reverse("school_plan_approve", args=[episode.pk]), {"shown": shown})
    assert response.status_code == 302
    assert "Usted aprobó esto el" in client.get(url).content.decode()
