from django.urls import reverse

from tests.conftest import TODAY

URL = reverse("family_home")


def test_it_shows_a_guardian_their_own_child_only(as_user, gina, maya, episode, leo):
    response = as_user(gina).get(URL)
    assert response.status_code == 200
    assert b"Maya" in response.content
    assert b"Leo" not in response.content
    assert b"Pat PT" in response.content


def test_it_speaks_to_the_teen_directly(as_user, maya_teen, maya, episode):
    response = as_user(maya_teen).get(URL)
    assert b"Your program" in response.content
    assert b"Who has opened" not in response.content


def test_it_welcomes_a_guardian_not_yet_linked(as_user, clinic):
    from tests.conftest import make_user

    lonely = make_user(clinic, "newparent", kind="guardian")
    assert b"not linked to a child yet" in as_user(lonely).get(URL).content


def test_it_sends_staff_to_their_own_home(as_user, pat):
    assert as_user(pat).get(URL)["Location"] == reverse("clinician_home")


def test_home_sends_each_person_to_their_page(as_user, client, pat, gina):
    assert as_user(pat).get("/")["Location"] == reverse("clinician_home")
    client.logout()
    assert as_user(gina).get("/")["Location"] == reverse("family_home")


def test_it_counts_diary_days_in_a_row_never_pain(as_user, gina, maya, maya_teen, pat, episode):
    import uuid
    from datetime import timedelta

    from backto.access.patients.actions import episode_transition
    from backto.capabilities.diary.models import DiaryEntry

    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    for n in (1, 2, 3):
        DiaryEntry.objects.create(
            patient=maya,
            day=TODAY - timedelta(days=n),
            respondent="child",
            author=maya_teen,
            answers={"pain": 9},
            instrument_id="daily-diary",
            instrument_version="1.0.0",
            idempotency_key=uuid.uuid4(),
        )
    page = as_user(gina).get(URL).content.decode()
    assert "written the diary 3 days in a row" in page
    assert "Milestone: 3 diary days" in page


def test_it_shows_how_to_reach_the_clinic(as_user, gina, maya, episode, clinic):
    clinic.phone = "(555) 010-0100"
    clinic.hours = "Mon–Fri 8am–5pm"
    clinic.crisis_line = "988 Suicide & Crisis Lifeline, any time"
    clinic.address = "1 Lake Road"
    clinic.when_to_call = "Call us if a new pain keeps your child from sleeping."
    clinic.save()
    page = as_user(gina).get(URL).content.decode()
    assert "How to reach Lakeside Pain Program" in page
    assert 'href="tel:(555)010-0100"' in page and "Mon–Fri 8am–5pm" in page
    assert "988 Suicide &amp; Crisis Lifeline, any time" in page and "1 Lake Road" in page
    assert "When to call us" in page and "keeps your child from sleeping" in page


def test_it_shows_only_the_clinic_contacts_filled_in(as_user, gina, maya, episode, clinic):
    assert "How to reach" not in as_user(gina).get(URL).content.decode()
    clinic.phone = "555-0100"
    clinic.save()
    page = as_user(gina).get(URL).content.decode()
    assert "How to reach" in page and "555-0100" in page
    for label in ("When we answer", "Out of hours", "Address", "When to call us"):
        assert label not in page
