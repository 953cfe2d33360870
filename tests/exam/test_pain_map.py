"""The body map the family marks ("where it bothered you") and the care team's body map page:
the action (result, idempotency, refusals), when a map is due, the pages' permissions, their
query counts, the heat map's numbers, and the dashboard parts."""

from __future__ import annotations

import html
import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from backto.access.patients import actions as patients
from backto.access.patients.models import Episode, Guardianship, Patient
from backto.audit.models import AuditEvent
from backto.capabilities.exam.models import PainMap
from backto.capabilities.exam.pain_map_actions import pain_map_record, pain_map_result
from backto.capabilities.exam.pain_map_queries import (
    due_for_family,
    due_in_episode,
    episode_maps,
    first_and_latest,
    heat_map,
    summaries_for,
)
from backto.capabilities.measures.models import Administration
from tests.conftest import TODAY, make_user, start_program

pytestmark = pytest.mark.django_db


def mark(by: Any, episode: Episode, respondent: str = "child", regions: Any = (), **kw: Any) -> Any:
    return pain_map_record(
        by=by,
        episode=episode,
        respondent=respondent,
        timepoint=kw.pop("timepoint", "baseline"),
        label=kw.pop("label", "Baseline"),
        regions=list(regions),
        day=kw.pop("day", TODAY),
        submission_key=kw.pop("submission_key", uuid.uuid4()),
    )


def text(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


# --- The clinical core's result -----------------------------------------------------------------


def test_the_result_holds_the_cores_numbers_under_the_agreed_keys() -> None:
    result = pain_map_result(["knee-left-front", "knee-right-front", "lower-back"])
    assert result == {
        "wpi": 3,
        "painful_region_count": 3,
        "distribution": "localized",
        "generalized_pain": False,
        "wpi_areas": ["lower-back", "lower-leg-left", "lower-leg-right"],
        "catalogue_version": "1",
    }


def test_five_painful_regions_are_diffuse_and_nothing_marked_has_no_grouping() -> None:
    diffuse = pain_map_result(
        ["neck-back", "upper-back", "lower-back", "hand-left-back", "hand-right-back"]
    )
    assert (diffuse["wpi"], diffuse["painful_region_count"], diffuse["distribution"]) == (
        3,
        5,
        "diffuse",
    )
    nowhere = pain_map_result([])
    assert nowhere["wpi"] == 0 and nowhere["painful_region_count"] == 0
    assert nowhere["distribution"] is None and nowhere["generalized_pain"] is False


# --- The action ---------------------------------------------------------------------------------


def test_a_teen_marks_their_own_map_once_with_one_audit_event(
    active: Episode, maya_teen: Any
) -> None:
    saved = mark(maya_teen, active, regions=["knee-right-front", "foot-right-front", "face"])
    assert saved.regions == ["face", "foot-right-front", "knee-right-front"]
    assert saved.painful_region_count == 3 and saved.result["wpi"] == 1
    assert saved.recorded_by == maya_teen and saved.day == TODAY
    events = AuditEvent.objects.filter(action="create", object_type="painmap")
    assert [(e.object_id, e.patient_id, e.detail) for e in events] == [
        (str(saved.pk), active.patient_id, "baseline child")
    ]


def test_a_form_sent_twice_is_saved_once_and_answers_as_saved(
    active: Episode, maya_teen: Any
) -> None:
    key = uuid.uuid4()
    first = mark(maya_teen, active, regions=["face"], submission_key=key)
    again = mark(maya_teen, active, regions=["face"], submission_key=key)
    assert again.pk == first.pk
    assert PainMap.objects.count() == 1
    assert AuditEvent.objects.filter(action="create", object_type="painmap").count() == 1


def test_a_second_map_at_the_same_point_is_refused(active: Episode, maya_teen: Any) -> None:
    mark(maya_teen, active, regions=["face"])
    with pytest.raises(ValidationError, match="already kept for Baseline"):
        mark(maya_teen, active, regions=["lower-back"])
    assert PainMap.objects.count() == 1


def test_a_point_that_is_not_open_is_refused(active: Episode, maya_teen: Any) -> None:
    with pytest.raises(ValidationError, match="not open"):  # Week 2 has not fallen due
        mark(maya_teen, active, regions=["face"], timepoint="program", label="Week 2")
    Administration.objects.filter(episode=active, timepoint="baseline").update(state="missed")
    with pytest.raises(ValidationError, match="not open"):
        mark(maya_teen, active, regions=["face"])
    assert not PainMap.objects.exists()
    assert not AuditEvent.objects.filter(action="create", object_type="painmap").exists()


def test_answering_the_questionnaires_first_keeps_the_map_open(
    active: Episode, maya_teen: Any, gina: Any
) -> None:
    """The family that answers the questionnaires first, or sends a map left open in a second
    tab after finishing them, still has the point's map (the baseline feeds the intake)."""
    Administration.objects.filter(episode=active, timepoint="baseline").update(state="completed")
    maya = active.patient
    assert [p.label for p in due_for_family(maya_teen, [maya.pk])[maya.pk]] == ["Baseline"]
    assert mark(maya_teen, active, regions=["face"]).label == "Baseline"
    assert mark(gina, active, respondent="parent", regions=[]).label == "Baseline"


def test_the_window_closes_when_the_next_point_falls_due_or_the_questionnaires_lapse(
    active: Episode, maya_teen: Any, gina: Any
) -> None:
    Administration.objects.filter(episode=active, timepoint="baseline").update(state="completed")
    # Week 2's questionnaires of the child fall due: the baseline closes for the child, and
    # Week 2 opens; the parent's baseline stays open until their own Week 2 falls due.
    Administration.objects.filter(episode=active, label="Week 2", respondent="child").update(
        state="due"
    )
    due = due_in_episode(active.pk, ["child", "parent"])
    assert [(p.respondent, p.label) for p in due] == [("parent", "Baseline"), ("child", "Week 2")]
    with pytest.raises(ValidationError, match="not open"):
        mark(maya_teen, active, regions=["face"])
    assert mark(maya_teen, active, regions=["face"], timepoint="program", label="Week 2")
    # A later point missed has fallen due too; one cancelled before it fell due has not.
    Administration.objects.filter(episode=active, label="Week 2", respondent="parent").update(
        state="cancelled"
    )
    assert [p.label for p in due_in_episode(active.pk, ["parent"])] == ["Baseline"]
    Administration.objects.filter(episode=active, label="Week 4", respondent="parent").update(
        state="missed"
    )
    assert due_in_episode(active.pk, ["parent"]) == []
    with pytest.raises(ValidationError, match="not open"):
        mark(gina, active, respondent="parent", regions=[])


def test_the_respondent_rule_is_the_questionnaires(
    active: Episode, maya_teen: Any, gina: Any
) -> None:
    # Maya has her own account: her mother marks the parent's map, not Maya's.
    with pytest.raises(ValidationError) as refused:
        mark(gina, active, respondent="child", regions=["face"])
    assert "respondent" in refused.value.message_dict
    with pytest.raises(ValidationError) as clinician:
        mark(gina, active, respondent="clinician", regions=["face"])
    assert "respondent" in clinician.value.message_dict
    assert mark(gina, active, respondent="parent", regions=["face"]).respondent == "parent"


def test_an_unknown_region_and_a_day_outside_the_episode_are_refused_naming_the_field(
    active: Episode, maya_teen: Any
) -> None:
    with pytest.raises(ValidationError) as unknown:
        mark(maya_teen, active, regions=["elbow"])
    assert "unknown body-map region 'elbow'" in unknown.value.message_dict["regions"][0]
    with pytest.raises(ValidationError) as future:
        mark(maya_teen, active, regions=["face"], day=TODAY + timedelta(days=1))
    assert "day" in future.value.message_dict
    assert not PainMap.objects.exists()


# --- When a map is due --------------------------------------------------------------------------


def test_a_map_is_due_at_an_open_point_until_it_is_marked(
    active: Episode, maya_teen: Any, gina: Any
) -> None:
    maya = active.patient
    teen_due = due_for_family(maya_teen, [maya.pk])[maya.pk]
    assert [(p.respondent, p.timepoint, p.label) for p in teen_due] == [
        ("child", "baseline", "Baseline")
    ]
    assert [p.respondent for p in due_for_family(gina, [maya.pk])[maya.pk]] == ["parent"]
    mark(maya_teen, active, regions=[])
    assert due_for_family(maya_teen, [maya.pk]) == {}
    assert [p.respondent for p in due_for_family(gina, [maya.pk])[maya.pk]] == ["parent"]


def test_nothing_is_due_before_the_program_or_after_it(
    episode: Episode, maya_teen: Any, pat: Any
) -> None:
    assert due_in_episode(episode.pk, ["child", "parent"]) == []  # referred: nothing scheduled
    start_program(episode, pat)
    assert len(due_in_episode(episode.pk, ["child", "parent"])) == 2
    patients.episode_transition(by=pat, episode=episode, target="withdrawn", note="Moved away")
    assert due_in_episode(episode.pk, ["child", "parent"]) == []


def test_a_guardian_marks_both_maps_for_a_child_without_an_account(
    active: Episode, gina: Any
) -> None:
    maya = active.patient
    assert maya.teen_account_id is None
    due = due_for_family(gina, [maya.pk])[maya.pk]
    assert sorted(p.respondent for p in due) == ["child", "parent"]
    mark(gina, active, respondent="child", regions=["face"])
    assert [p.respondent for p in due_for_family(gina, [maya.pk])[maya.pk]] == ["parent"]


def test_the_familys_due_maps_are_two_queries_for_every_child(
    active: Episode, gina: Any, leo: Patient, cora: Any, pat: Any, django_assert_num_queries: Any
) -> None:
    Guardianship.objects.create(guardian=gina, patient=leo, relationship="mother")
    leos = patients.episode_open(by=cora, patient=leo, referral_date=TODAY, referral_reason="Knee")
    patients.care_team_add(by=cora, episode=leos, clinician=pat, discipline="pt")
    start_program(leos, pat)
    with django_assert_num_queries(2):  # the questionnaires' points, the maps kept there
        due = due_for_family(gina, [active.patient_id, leo.pk])
    assert set(due) == {active.patient_id, leo.pk}


# --- The family's page --------------------------------------------------------------------------


def test_the_teen_marks_where_it_bothered_them(
    active: Episode, maya_teen: Any, as_user: Any
) -> None:
    client = as_user(maya_teen)
    url = reverse("pain_map_mark", args=[active.pk])
    page = client.get(url)
    assert page.status_code == 200
    words = text(page)
    assert "Where did it bother you this week?" in words and "Nowhere right now" in words
    assert "WPI" not in words and "score" not in words.lower()
    form = page.context["form"]
    data = {
        "respondent": "child",
        "timepoint": "baseline",
        "label": "Baseline",
        "submission_key": str(form.initial["submission_key"]),
        "regions": ["knee-right-front", "knee-right-back"],
    }
    saved = client.post(url, data)
    assert saved.status_code == 302 and saved.url == url
    (row,) = PainMap.objects.all()
    assert row.regions == ["knee-right-back", "knee-right-front"]
    again = client.post(url, data)  # the back button and send again: saved once
    assert again.status_code == 302 and PainMap.objects.count() == 1
    after = text(client.get(url))
    assert "Nothing to mark right now" in after
    assert "Thank you — your care team will look at it with you." in after


def test_nowhere_right_now_is_a_real_answer_and_an_empty_save_asks_for_it(
    active: Episode, maya_teen: Any, as_user: Any
) -> None:
    client = as_user(maya_teen)
    url = reverse("pain_map_mark", args=[active.pk])
    point = {"respondent": "child", "timepoint": "baseline", "label": "Baseline"}
    empty = client.post(url, {**point, "submission_key": str(uuid.uuid4())})
    assert empty.status_code == 200
    assert "Mark at least one place on the body, or choose" in text(empty)
    both = client.post(
        url, {**point, "submission_key": str(uuid.uuid4()), "regions": ["face"], "nowhere": "1"}
    )
    assert "untick the places" in text(both)
    assert not PainMap.objects.exists()
    nowhere = client.post(url, {**point, "submission_key": str(uuid.uuid4()), "nowhere": "1"})
    assert nowhere.status_code == 302
    (row,) = PainMap.objects.all()
    assert row.regions == [] and row.painful_region_count == 0
    # The same neutral thanks as for places marked: no answer is praised above another.
    after = text(client.get(url))
    assert "Thank you — your care team will look at it with you." in after
    assert "great" not in after.lower() and "good to hear" not in after.lower()


def test_an_unknown_region_posted_is_refused_naming_the_field(
    active: Episode, maya_teen: Any, as_user: Any
) -> None:
    response = as_user(maya_teen).post(
        reverse("pain_map_mark", args=[active.pk]),
        {
            "respondent": "child",
            "timepoint": "baseline",
            "label": "Baseline",
            "submission_key": str(uuid.uuid4()),
            "regions": ["elbow"],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Where it bothered you: &#x27;elbow&#x27; is not a region of the body map." in page
    assert "body_map_regions.json" not in page
    # The error list is tied to the map's fieldset for screen readers.
    assert '<fieldset class="bm-field" aria-describedby="id_regions_error">' in page
    assert '<ul class="errorlist" id="id_regions_error">' in page
    assert not PainMap.objects.exists()


def test_a_parent_is_asked_about_their_child(active: Episode, gina: Any, as_user: Any) -> None:
    words = text(as_user(gina).get(reverse("pain_map_mark", args=[active.pk]) + "?for=parent"))
    assert "Where did it bother Maya this week?" in words
    assert "where you saw it bother Maya" in words


def test_the_family_page_reads_its_values_through_forms(
    active: Episode, maya_teen: Any, as_user: Any
) -> None:
    """`?for=` and the posted respondent are read by forms: a value the page never sends is a
    400 naming the field, and nothing is saved."""
    client = as_user(maya_teen)
    url = reverse("pain_map_mark", args=[active.pk])
    assert client.get(url + "?for=child").status_code == 200
    wrong = client.get(url + "?for=clinician")
    assert wrong.status_code == 400 and "“for” must be “child” or “parent”" in text(wrong)
    posted = client.post(
        url,
        {
            "respondent": "teacher",
            "timepoint": "baseline",
            "label": "Baseline",
            "submission_key": str(uuid.uuid4()),
            "regions": ["face"],
        },
    )
    assert posted.status_code == 400 and "“respondent” must be" in text(posted)
    assert not PainMap.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("pat", 403), ("cora", 403), ("otto", 404), ("elsa", 404)]
)
def test_the_family_page_is_the_familys(
    active: Episode, as_user: Any, persona: str, status: int, request: Any
) -> None:
    user = request.getfixturevalue(persona)
    url = reverse("pain_map_mark", args=[active.pk])
    assert as_user(user).get(url).status_code == status
    assert as_user(user).post(url, {}).status_code == status
    assert not PainMap.objects.exists()


# --- The care team's page -----------------------------------------------------------------------


def _map(episode: Episode, by: Any, label: str, day: Any, regions: list[str], who: str) -> PainMap:
    """A map kept directly (the page's reads, not the due rule, are under test here)."""
    result = pain_map_result(regions)
    return PainMap.objects.create(
        episode=episode,
        respondent=who,
        timepoint="program",
        label=label,
        day=day,
        regions=sorted(regions),
        result=result,
        painful_region_count=result["painful_region_count"],
        submission_key=uuid.uuid4(),
        recorded_by=by,
    )


def test_the_heat_map_counts_the_share_of_maps_in_the_period(
    active: Episode, maya_teen: Any, gina: Any
) -> None:
    start = TODAY - timedelta(weeks=6)
    _map(active, maya_teen, "Week 0", start, ["knee-right-front", "face"], "child")
    _map(active, maya_teen, "Week 2", start + timedelta(weeks=2), ["knee-right-front"], "child")
    _map(active, gina, "Week 2", start + timedelta(weeks=2), ["knee-right-front"], "parent")
    _map(active, maya_teen, "Week 4", start + timedelta(weeks=4), [], "child")
    maps = episode_maps(active.pk).rows
    whole = heat_map(maps)
    assert whole.total == 4
    assert whole.counts == {"knee-right-front": 3, "face": 1}
    assert whole.fills() == {"knee-right-front": 0.75, "face": 0.25}
    later = heat_map(maps, start=start + timedelta(days=1))
    assert (later.total, later.counts) == (3, {"knee-right-front": 2})
    child = heat_map(maps, respondent="child")
    assert (child.total, child.counts["knee-right-front"]) == (3, 2)
    assert heat_map(maps, end=start - timedelta(days=1)).fills() == {}
    first, latest = first_and_latest(episode_maps(active.pk), "child") or (None, None)
    assert first is not None and latest is not None
    assert (first.label, latest.label) == ("Week 0", "Week 4")


def test_the_care_team_sees_every_map_and_the_heat_map(
    active: Episode, maya_teen: Any, pat: Any, as_user: Any
) -> None:
    _map(active, maya_teen, "Week 0", TODAY - timedelta(weeks=4), ["knee-right-front"], "child")
    _map(active, maya_teen, "Week 2", TODAY - timedelta(weeks=2), ["knee-right-front", "neck-front", "lower-back", "upper-back", "hand-left-back"], "child")  # fmt: skip
    response = as_user(pat).get(reverse("pain_map_episode", args=[active.pk]))
    assert response.status_code == 200
    words = text(response)
    assert "2 maps" in words
    assert "Right knee, front 2 of 2 100%" in words
    assert "Neck, front 1 of 2 50%" in words
    assert "WPI 1 of 19, 1 painful region, localized" in words
    assert "WPI 4 of 19, 5 painful regions, diffuse" in words
    assert "widespread pain index" in words and "not a diagnosis" in words
    assert "backto.clinical" not in words and ".md" not in words  # rules in words, not files
    assert "AMPS" not in words and "CRPS" not in words and "fibromyalgia" not in words.lower()
    period = as_user(pat).get(
        reverse("pain_map_episode", args=[active.pk]),
        {"start": (TODAY - timedelta(weeks=3)).isoformat(), "end": "", "respondent": ""},
    )
    assert "1 map." in text(period) and "Right knee, front 1 of 1 100%" in text(period)


def test_a_region_no_longer_on_the_map_still_shows_by_its_id(
    active: Episode, maya_teen: Any, pat: Any, as_user: Any
) -> None:
    """A map keeps the region ids of the catalogue it was marked with (`catalogue_version`); when
    the catalogue changes, an id it no longer has is shown as it was stored, not a crash."""
    old = _map(active, maya_teen, "Week 0", TODAY - timedelta(weeks=4), ["face"], "child")
    PainMap.objects.filter(pk=old.pk).update(
        regions=["face", "shin-left"], result={**old.result, "catalogue_version": "0"}
    )
    response = as_user(pat).get(reverse("pain_map_episode", args=[active.pk]))
    assert response.status_code == 200
    words = text(response)
    assert "Face; shin-left (region no longer on the map)" in words
    assert "shin-left (region no longer on the map) 1 of 1 100%" in words
    assert "body map catalogue 0" in words
    heat = heat_map(episode_maps(active.pk).rows)
    assert heat.rows({"face": "Face"}) == [
        ("face", "Face", 1, 100),
        ("shin-left", "shin-left (region no longer on the map)", 1, 100),
    ]


def test_the_heat_maps_title_counts_one_map_as_one(
    active: Episode, maya_teen: Any, pat: Any, as_user: Any
) -> None:
    _map(active, maya_teen, "Week 0", TODAY - timedelta(weeks=4), ["face"], "child")
    page = as_user(pat).get(reverse("pain_map_episode", args=[active.pk])).content.decode()
    assert "Heat map of where it bothered Maya, 1 map</title>" in page
    assert "1 maps" not in page


def test_the_family_page_offers_both_answers_as_equal_choices(
    active: Episode, maya_teen: Any, as_user: Any
) -> None:
    page = as_user(maya_teen).get(reverse("pain_map_mark", args=[active.pk])).content.decode()
    buttons = re.findall(r'<button class="([^"]*)" type="submit"[^>]*>([^<]*)</button>', page)
    assert buttons == [("btn", "Save these places"), ("btn", "Nowhere right now")]
    assert "great answer" not in page


def test_the_care_team_page_reads_a_fixed_number_of_queries(
    active: Episode, maya_teen: Any, pat: Any, as_user: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user(pat)
    url = reverse("pain_map_episode", args=[active.pk])
    _map(active, maya_teen, "Week 0", TODAY - timedelta(weeks=8), ["face"], "child")
    client.get(url)  # warm the session and the caches
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for week in range(1, 8):
        _map(active, maya_teen, f"Week {week}", TODAY - timedelta(weeks=8 - week), ["face", "lower-back"], "child")  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "8 maps" in text(response)


def _persona(request: Any, persona: str, episode: Episode) -> Any:
    """The persona's user; Phil (a physician) joins the care team first, to be inside it."""
    if persona == "phil":
        patients.care_team_add(
            by=request.getfixturevalue("cora"),
            episode=episode,
            clinician=request.getfixturevalue("phil"),
            discipline="medicine",
        )
    return request.getfixturevalue(persona)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("pat", 200),
        ("phil", 200),
        ("gina", 403),
        ("maya_teen", 403),
        ("olive", 404),
        ("otto", 404),
        ("elsa", 404),
    ],
)
def test_the_care_team_page_permissions(
    active: Episode, as_user: Any, persona: str, status: int, request: Any
) -> None:
    user = _persona(request, persona, active)
    url = reverse("pain_map_episode", args=[active.pk])
    assert as_user(user).get(url).status_code == status
    assert as_user(user).post(url).status_code == 405


# --- The dashboards -----------------------------------------------------------------------------


def test_the_family_home_shows_the_map_when_due_and_not_after(
    active: Episode, maya_teen: Any, as_user: Any
) -> None:
    client = as_user(maya_teen)
    home = text(client.get(reverse("family_home")))
    assert "Mark your body map where it bothered you (to do)" in home
    mark(maya_teen, active, regions=["face"])
    # Marked today: the day's to-do is ticked, and gone from the list from tomorrow.
    home = text(client.get(reverse("family_home")))
    assert "Mark your body map where it bothered you (done)" in home
    assert "to do" not in home.split("Mark your body map")[1][:60]


def test_the_overview_card_shows_the_latest_against_the_first(
    active: Episode, maya_teen: Any, pat: Any, as_user: Any
) -> None:
    _map(active, maya_teen, "Week 0", TODAY - timedelta(weeks=4), ["knee-right-front", "neck-front", "lower-back", "upper-back", "hand-left-back"], "child")  # fmt: skip
    _map(active, maya_teen, "Week 2", TODAY - timedelta(weeks=2), ["knee-right-front"], "child")
    summary = summaries_for([active.pk])[active.pk]
    assert (summary.first.painful_region_count, summary.first.wpi) == (5, 4)
    assert (summary.latest.painful_region_count, summary.latest.wpi, summary.maps) == (1, 1, 2)
    words = text(as_user(pat).get(reverse("patient_overview", args=[active.patient_id])))
    assert "Body map" in words
    assert "1 painful region, WPI 1 of 19" in words
    assert "5 painful regions, WPI 4" in words


def test_the_card_and_the_page_compare_the_familys_line_never_a_parent_with_the_child(
    active: Episode, maya_teen: Any, gina: Any, pat: Any, as_user: Any
) -> None:
    """At one point a parent marked four regions and the child none: the family's line keeps the
    child's map (exam/queries.py `pain_maps_for`), so "First 4 … Latest 0" on one day is gone;
    a clinician's map is never the family's latest; the card says whose maps it compares."""
    week0, week2 = TODAY - timedelta(weeks=4), TODAY - timedelta(weeks=2)
    _map(
        active, gina, "Week 0", week0, ["face", "lower-back", "neck-front", "upper-back"], "parent"
    )
    _map(active, maya_teen, "Week 0", week0, [], "child")
    _map(active, gina, "Week 2", week2, ["face", "lower-back"], "parent")
    _map(active, pat, "Week 2", TODAY, ["knee-left-front"], "clinician")
    summary = summaries_for([active.pk])[active.pk]
    assert (summary.first.respondent, summary.first.painful_region_count) == ("child", 0)
    assert (summary.latest.respondent, summary.latest.painful_region_count) == ("parent", 2)
    assert summary.maps == 2
    words = text(as_user(pat).get(reverse("patient_overview", args=[active.patient_id])))
    assert f"Latest ({week2:%Y-%m-%d}, a parent's map): 2 painful regions" in words
    assert f"First ({week0:%Y-%m-%d}, the child's map): 0 painful regions" in words
    assert "at each check-in the child's own map, else a parent's" in words
    maps = episode_maps(active.pk)
    pair = first_and_latest(maps)
    assert pair is not None and [m.respondent for m in pair] == ["child", "parent"]
    assert first_and_latest(maps, "clinician") is None  # one clinician's map: nothing to compare
    page = text(as_user(pat).get(reverse("pain_map_episode", args=[active.pk])))
    assert "Comparing the family's maps: at each check-in the child's own map" in page
    assert "Counting the family's maps" in page and "2 maps." in page


def test_a_clinician_without_the_exam_sees_no_card(
    active: Episode, clinic: Any, maya_teen: Any, pat: Any, as_user: Any
) -> None:
    _map(active, maya_teen, "Week 0", TODAY - timedelta(weeks=4), ["face"], "child")
    url = reverse("patient_overview", args=[active.patient_id])
    assert "Body map and heat map" in as_user(pat).get(url).content.decode()
    admin = make_user(clinic, "adele", roles=("clinic_admin",))
    response = as_user(admin).get(url)
    assert response.status_code == 200  # the admin reads the overview, without the exam
    assert "Maya" in text(response)
    assert "Body map and heat map" not in response.content.decode()


# --- The care team records a map (from paper, or their own) --------------------------------------


def _record(client: Any, episode: Episode, point: str, regions: Any = (), **extra: Any) -> Any:
    return client.post(
        reverse("pain_map_staff_record", args=[episode.pk]),
        {
            "point": point,
            "day": TODAY.isoformat(),
            "submission_key": extra.pop("submission_key", str(uuid.uuid4())),
            "regions": list(regions),
            **extra,
        },
    )


def test_the_care_team_records_their_own_map_which_the_intake_reads_first(
    active: Episode, pat: Any, as_user: Any
) -> None:
    from backto.capabilities.exam.intake_queries import baseline_pain_map

    client = as_user(pat)
    page = text(client.get(reverse("pain_map_episode", args=[active.pk])))
    assert "Record a map" in page
    assert "Baseline: the child's map, from their paper form" in page
    assert "Baseline: a parent's map, from their paper form" in page
    assert "Baseline: your own map as the clinician" in page
    saved = _record(client, active, "clinician|baseline|Baseline", ["knee-right-front", "face"])
    assert saved.status_code == 302 and saved.url == reverse("pain_map_episode", args=[active.pk])
    (row,) = PainMap.objects.all()
    assert (row.respondent, row.recorded_by, row.regions) == (
        "clinician",
        pat,
        ["face", "knee-right-front"],
    )
    event = AuditEvent.objects.get(action="create", object_type="painmap")
    assert (event.object_id, event.patient_id, event.detail) == (
        str(row.pk),
        active.patient_id,
        "baseline clinician",
    )
    counted = baseline_pain_map(active.pk)
    assert counted is not None and counted.respondent == "clinician"
    # Once kept, the clinician's map at that point is no longer offered.
    assert "your own map as the clinician" not in text(
        client.get(reverse("pain_map_episode", args=[active.pk]))
    )


def test_the_care_team_enters_the_familys_map_from_paper_marked_as_theirs(
    active: Episode, maya_teen: Any, pat: Any, as_user: Any
) -> None:
    client = as_user(pat)
    key = str(uuid.uuid4())
    assert _record(client, active, "child|baseline|Baseline", submission_key=key, nowhere="1").status_code == 302  # fmt: skip
    assert _record(client, active, "child|baseline|Baseline", submission_key=key, nowhere="1").status_code == 302  # fmt: skip
    (row,) = PainMap.objects.all()  # the form sent twice is saved once
    assert (row.respondent, row.regions, row.recorded_by) == ("child", [], pat)
    event = AuditEvent.objects.get(action="create", object_type="painmap")
    assert event.detail == "baseline child on behalf"
    page = text(client.get(reverse("pain_map_episode", args=[active.pk])))
    assert "Pat PT, entered by the care team from the family's paper form" in page
    # The family is no longer asked for the child's map at this point; the parent's still is.
    maya = active.patient
    assert due_for_family(maya_teen, [maya.pk]) == {}
    second = _record(client, active, "child|baseline|Baseline", ["face"])
    assert second.status_code == 200 and "A map is already kept for Baseline" in text(second)


def test_a_recorded_map_is_refused_naming_the_field_and_nothing_is_saved(
    active: Episode, pat: Any, as_user: Any
) -> None:
    client = as_user(pat)
    closed = _record(client, active, "clinician|program|Week 2", ["face"])
    assert closed.status_code == 200
    assert "This check-in is not open for a map now" in text(closed)
    tampered = _record(client, active, "teacher|baseline|Baseline", ["face"])
    assert "Check-in and whose map" in text(tampered)
    assert "Choose one of the check-ins listed." in text(tampered)
    empty = _record(client, active, "clinician|baseline|Baseline")
    assert "Mark at least one place on the body, or choose “Nowhere right now”" in text(empty)
    # The summary above the form (core.forms.error_summary) links to the map's first region.
    summary = empty.content.decode()
    assert '<a href="#id_regions_0">Where it bothered (recorded map)</a>:' in summary
    assert 'id="id_regions_0"' in summary
    future = client.post(
        reverse("pain_map_staff_record", args=[active.pk]),
        {
            "point": "parent|baseline|Baseline",
            "day": (TODAY + timedelta(days=1)).isoformat(),
            "submission_key": str(uuid.uuid4()),
            "regions": ["face"],
        },
    )
    assert "Day it was marked: The day marked is today or before." in text(future)
    assert not PainMap.objects.exists()
    assert not AuditEvent.objects.filter(action="create", object_type="painmap").exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("pat", 302),
        ("phil", 302),
        ("cora", 403),
        ("gina", 403),
        ("maya_teen", 403),
        ("olive", 404),
        ("otto", 404),
        ("elsa", 404),
    ],
)
def test_recording_a_map_needs_exam_record_on_the_care_team(
    active: Episode, as_user: Any, persona: str, status: int, request: Any
) -> None:
    user = _persona(request, persona, active)
    client = as_user(user)
    response = _record(client, active, "clinician|baseline|Baseline", ["face"])
    assert response.status_code == status
    assert PainMap.objects.count() == (1 if status == 302 else 0)
    url = reverse("pain_map_staff_record", args=[active.pk])
    assert client.get(url).status_code == 405
    if persona == "cora":  # reads the page, without the form
        page = text(client.get(reverse("pain_map_episode", args=[active.pk])))
        assert "Body map" in page and "Record a map" not in page


def test_the_action_refuses_a_staff_member_without_exam_record(active: Episode, cora: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        mark(cora, active, respondent="clinician", regions=["face"])
    assert not PainMap.objects.exists()
