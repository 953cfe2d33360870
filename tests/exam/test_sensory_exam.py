"""The clinician's sensory, autonomic and motor exam (issue #19): recorded with the clinical core,
validation naming the field with nothing saved, one audit event with ids only, who may see and
record, the page's trend and tally, the overview card, and a fixed number of queries."""

import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.access.patients import actions as patients
from backto.access.patients.models import Discipline
from backto.audit.models import AuditEvent
from backto.capabilities.exam.actions import age_in_years
from backto.capabilities.exam.models import SensoryExam, SensoryFinding
from backto.capabilities.exam.sensory_actions import sensory_exam_record
from backto.clinical.sensory_exam import MONOFILAMENT_FORCES_G, sensory_exam
from tests.conftest import TODAY, make_user
from tests.exam.conftest import REFERRED

LOWER_LEG = ["lower-leg-right-front", "lower-leg-right-back"]
FOOT = ["foot-right-front", "toes-right-front", "foot-right-back"]
YESTERDAY = TODAY - timedelta(days=1)


def page_url(episode):
    return reverse("sensory_exam", args=[episode.pk])


def record_url(episode):
    return reverse("sensory_exam_record", args=[episode.pk])


def post(client, episode, **fields):
    fields.setdefault("day", YESTERDAY.isoformat())
    fields.setdefault("submission_key", str(uuid.uuid4()))
    return client.post(record_url(episode), fields)


@pytest.fixture
def examine(pat, referred):
    """examine(weeks_ago, brush=[regions], **signs) -> a SensoryExam Pat recorded."""

    def save(weeks_ago, brush=None, pinprick=None, note="", **signs):
        findings = []
        if brush is not None:
            findings.append(
                {"stimulus": "brush", "regions": brush, "evoked_pain": 5 if brush else None}
            )
        if pinprick is not None:
            findings.append(
                {
                    "stimulus": "pinprick",
                    "regions": pinprick,
                    "evoked_pain": 7 if pinprick else None,
                }
            )
        return sensory_exam_record(
            by=pat,
            episode=referred,
            day=TODAY - timedelta(weeks=weeks_ago),
            findings=findings,
            signs=signs,
            submission_key=uuid.uuid4(),
            note=note,
        )

    return save


A_FULL_EXAM = {
    "brush_tested": "on",
    "brush_regions": LOWER_LEG + FOOT,
    "brush_evoked_pain": "6",
    "monofilament_tested": "on",
    "monofilament_monofilament_g": "15",
    "monofilament_regions": FOOT[:2],
    "monofilament_evoked_pain": "4",
    "cold_tested": "on",
    "pinprick_regions": ["knee-right-front"],
    "pinprick_evoked_pain": "8",
    "affected_side": "right",
    "room_c": "22",
    "acclimatisation_min": "15",
    "temperatures_0_site": "Back of the foot",
    "temperatures_0_affected_c": "30.1",
    "temperatures_0_other_c": "31.6",
    "temperatures_1_site": "Shin",
    "temperatures_1_affected_c": "31.9",
    "temperatures_1_other_c": "32.3",
    "circumferences_0_site": "Ankle",
    "circumferences_0_affected_cm": "23.4",
    "circumferences_0_other_cm": "21.0",
    "colour_change": "yes",
    "colour": "mottled",
    "swelling": "unknown",
    "sweating_change": "no",
    "trophic_change": "no",
    "reduced_range_of_motion": "yes",
    "range_of_motion_joints": "Right ankle",
    "weakness": "unknown",
    "dystonia": "no",
    "tremor": "no",
    "note": "Managed the whole exam",
}


# --- Recording ----------------------------------------------------------------------------------


def test_the_pt_records_an_exam_and_the_core_works_it_out(as_user, pat, maya, referred):
    response = post(as_user(pat), referred, **A_FULL_EXAM)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == page_url(referred)
    exam = SensoryExam.objects.get()
    age = age_in_years(maya, YESTERDAY)
    assert (exam.episode, exam.day, exam.recorded_by, exam.age_years) == (
        referred,
        YESTERDAY,
        pat,
        age,
    )
    assert exam.note == "Managed the whole exam"
    # Maya is 13: lower leg 6 %, foot 3.5 %. Brush 3.9 + 3.5; the 15 g filament 1.75; cold
    # tested with nothing evoked; the union of allodynia is the brush's territory.
    assert exam.allodynia_percent == Decimal("7.4")
    findings = {f.stimulus: f for f in SensoryFinding.objects.filter(exam=exam)}
    assert {s: (f.kind, str(f.percent), f.evoked_pain) for s, f in findings.items()} == {
        "brush": ("allodynia", "7.4", 6),
        "monofilament": ("allodynia", "1.8", 4),
        "cold": ("allodynia", "0.0", None),
        "pinprick": ("hyperalgesia", "0.9", 8),
    }
    assert findings["monofilament"].monofilament_g == Decimal(15)
    assert findings["brush"].regions == sorted(LOWER_LEG + FOOT)
    # The keys the intake's Budapest tally reads.
    assert exam.result["temperature_difference_c"] == "-1.5"
    assert exam.result["temperature_flagged"] is True
    assert exam.result["budapest_signs"] == {
        "allodynia": "yes",
        "hyperalgesia": "yes",
        "colour_change": "yes",
        "swelling": "yes",  # 2.4 cm larger on the affected side
        "sweating_change": "no",
        "reduced_range_of_motion": "yes",
        "weakness": "unknown",
        "tremor": "no",
        "dystonia": "no",
        "trophic_change": "no",
    }
    assert exam.result["signs_in_categories"] == 4
    assert exam.result["engine_version"] == "1.0.0"
    # Traceable: the stored signs and findings, given to the core again, give the stored result.
    again = sensory_exam(
        findings=[
            {
                "stimulus": f.stimulus,
                "regions": f.regions,
                "evoked_pain": f.evoked_pain,
                "monofilament_g": f.monofilament_g,
            }
            for f in findings.values()
        ],
        signs=exam.signs,
        age_years=exam.age_years,
    )
    assert again.as_dict() == exam.result
    page = as_user(pat).get(page_url(referred)).content.decode()
    assert "Allodynia area: <strong>7.4% of body surface</strong>" in page
    assert "Monofilament 15 g" in page and "nowhere: no pain evoked" in page
    assert "-1.5 °C <strong>· flagged: more than 1.0 °C</strong>" in page
    assert '-0.4 °C <span class="muted">· within 1.0 °C</span>' in page
    assert "2.4 cm <strong>· swelling: more than 2.0 cm larger</strong>" in page
    assert "Signs recorded at this exam: <strong>4 of 4 categories</strong>" in page
    assert "it is not a diagnosis" in page
    assert "Colour seen: mottled. Joints with reduced range of motion: Right ankle." in page
    assert 'class="body-map-picture"' in page  # the territory drawn


@pytest.mark.parametrize("grams", list(MONOFILAMENT_FORCES_G))
def test_every_monofilament_force_is_kept_and_shown_as_chosen(as_user, pat, referred, grams):
    client = as_user(pat)
    choice = str(grams)
    form = client.get(page_url(referred)).content.decode()
    assert f'<option value="{choice}">{choice} g</option>' in form
    response = post(
        client,
        referred,
        monofilament_monofilament_g=choice,
        monofilament_regions=FOOT[:1],
        monofilament_evoked_pain="3",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    finding = SensoryFinding.objects.get(stimulus="monofilament")
    finding.refresh_from_db()
    assert finding.monofilament_g == grams  # 0.008 g stays 0.008, never 0.01
    page = client.get(page_url(referred)).content.decode()
    assert f"Monofilament {grams.normalize():f} g<br>" in page
    assert f"Monofilament {choice} g<br>" in page


def test_the_same_form_sent_twice_saves_one_exam(as_user, pat, maya, referred):
    client = as_user(pat)
    key = str(uuid.uuid4())
    first = post(client, referred, submission_key=key, **A_FULL_EXAM)
    again = post(client, referred, submission_key=key, **A_FULL_EXAM)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == page_url(referred)
    exam = SensoryExam.objects.get()
    assert str(exam.submission_key) == key
    assert SensoryFinding.objects.filter(exam=exam).count() == 4
    created = AuditEvent.objects.filter(object_type="sensoryexam", action="create")
    assert created.count() == 1
    # A new form (a new key) is a new exam.
    assert post(client, referred, **A_FULL_EXAM).status_code == 302
    assert SensoryExam.objects.count() == 2


def test_a_key_used_by_someone_else_is_refused_and_a_page_without_one_is_told_to_reload(
    as_user, pat, olive, referred
):
    key = uuid.uuid4()
    exam = sensory_exam_record(
        by=pat, episode=referred, day=TODAY, findings=[], signs={}, submission_key=key
    )
    assert (
        sensory_exam_record(
            by=pat, episode=referred, day=TODAY, findings=[], signs={}, submission_key=key
        )
        == exam
    )
    with pytest.raises(ValidationError, match="already used for another exam"):
        sensory_exam_record(
            by=olive, episode=referred, day=TODAY, findings=[], signs={}, submission_key=key
        )
    response = as_user(pat).post(record_url(referred), {"day": YESTERDAY.isoformat()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<li>This page is out of date: reload it and record the exam again.</li>" in page
    assert SensoryExam.objects.count() == 1


def test_an_exam_with_nothing_tested_keeps_the_area_unknown(as_user, pat, referred):
    assert post(as_user(pat), referred, tremor="yes").status_code == 302
    exam = SensoryExam.objects.get()
    assert exam.allodynia_percent is None and not exam.findings.exists()
    assert exam.result["temperature_difference_c"] is None
    assert exam.result["budapest_signs"]["allodynia"] == "unknown"
    page = as_user(pat).get(page_url(referred)).content.decode()
    assert "Allodynia not tested" in page and "No exam has tested allodynia yet." in page
    assert "Signs recorded at this exam: <strong>1 of 4 categories</strong>" in page


# --- Validation: the field named, nothing saved -----------------------------------------------


@pytest.mark.parametrize(
    ("typed", "field", "words"),
    [
        (
            {"brush_regions": FOOT},
            "Light brush: evoked pain (0 to 10)",
            "Required with a territory",
        ),
        (
            {"brush_regions": FOOT, "brush_evoked_pain": "12"},
            "Light brush: evoked pain (0 to 10)",
            "a whole number from 0 to 10",
        ),
        (
            {"cotton_evoked_pain": "3"},
            "Cotton wool: evoked pain (0 to 10)",
            "only with a territory",
        ),
        ({"monofilament_tested": "on"}, "Monofilament force (g)", "Required: the force in g"),
        ({"monofilament_monofilament_g": "12"}, "Monofilament force (g)", "Select a valid choice"),
        (
            {"cold_regions": ["elbow-nowhere"]},
            "Cold: where it evoked pain (allodynia)",
            "is not a region of the body map",
        ),
        (
            {"temperatures_0_site": "Foot", "temperatures_0_affected_c": "31.25"},
            "Skin temperature, site 1: affected side (°C)",
            "more than one decimal",
        ),
        (
            {"temperatures_0_affected_c": "31.2", "temperatures_0_other_c": "30"},
            "Skin temperature, site 1: where",
            "Required: where it was measured",
        ),
        (
            {"temperatures_0_site": "Foot", "temperatures_0_affected_c": "31.2"},
            "Skin temperature, site 1: other side (°C)",
            "Required: a number in °C from 15 to 42",
        ),
        (
            {
                "circumferences_0_site": "Calf",
                "circumferences_0_affected_cm": "2",
                "circumferences_0_other_cm": "20",
            },
            "Circumference, site 1: affected side (cm)",
            "from 5 to 150",
        ),
        (
            {"colour": "pale"},
            "Colour seen (with a colour change)",
            "only when colour_change is yes",
        ),
        ({"tremor": "sometimes"}, "Tremor", "Select a valid choice"),
        ({"room_c": "50"}, "Room temperature (°C)", "from 10 to 35"),
    ],
)
def test_an_invalid_value_is_refused_naming_its_field_and_nothing_is_saved(
    as_user, pat, referred, typed, field, words
):
    response = post(as_user(pat), referred, **typed)
    assert response.status_code == 200
    page = response.content.decode()
    summary = page[page.index("The exam was not saved") :]
    summary = summary[: summary.index("</ul>")]
    assert f">{field}</a>: " in summary and words in summary, summary
    assert not SensoryExam.objects.exists() and not SensoryFinding.objects.exists()
    assert not AuditEvent.objects.filter(object_type="sensoryexam", action="create").exists()


def test_the_action_keys_its_errors_by_the_cores_field(pat, referred):
    with pytest.raises(ValidationError) as refused:
        sensory_exam_record(
            by=pat,
            episode=referred,
            day=TODAY,
            findings=[{"stimulus": "cold", "regions": FOOT}],
            signs={"weakness": "perhaps"},
            submission_key=uuid.uuid4(),
        )
    assert sorted(refused.value.message_dict) == ["cold.evoked_pain", "weakness"]
    assert not SensoryExam.objects.exists()


def test_a_day_in_the_future_or_before_the_referral_is_refused(as_user, pat, referred):
    client = as_user(pat)
    tomorrow = post(client, referred, day=(TODAY + timedelta(days=1)).isoformat())
    assert "The day examined is today or before." in tomorrow.content.decode()
    early = post(client, referred, day=(REFERRED - timedelta(days=1)).isoformat())
    assert "on or after its referral" in early.content.decode()
    assert not SensoryExam.objects.exists()
    assert post(client, referred, day=TODAY.isoformat()).status_code == 302


def test_the_record_address_takes_only_a_post(as_user, pat, referred):
    assert as_user(pat).get(record_url(referred)).status_code == 405
    assert as_user(pat).post(page_url(referred), {}).status_code == 405


# --- The audit log ------------------------------------------------------------------------------


def test_recording_writes_one_event_with_ids_only(as_user, pat, maya, referred):
    last = AuditEvent.objects.order_by("id").last()
    post(as_user(pat), referred, **A_FULL_EXAM)
    exam = SensoryExam.objects.get()
    (event,) = AuditEvent.objects.filter(id__gt=last.pk if last else 0, action="create")
    assert (event.object_type, event.object_id, event.actor_id) == (
        "sensoryexam",
        str(exam.pk),
        pat.pk,
    )
    assert event.detail == ""  # never a finding, a value, a note or a name


def test_reading_the_page_is_audited(as_user, pat, maya, referred):
    as_user(pat).get(page_url(referred))
    assert AuditEvent.objects.filter(
        action="view", object_type="episode", patient_id=maya.pk, detail="sensory_exam"
    ).exists()


# --- Who may see and record -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "get", "post_status"),
    [
        ("pat", 200, 302),  # a PT on the care team records
        ("olive", 404, 404),  # a PT of the clinic, off the team
        ("elsa", 404, 404),  # a PT at another clinic
        ("phil", 404, 404),  # a physician off the team
        ("cora", 200, 403),  # the coordinator reads the exam; she does not examine
        ("ada", 403, 403),  # the clinic admin: not a clinical role
        ("gina", 403, 403),  # Maya's mother
        ("maya_teen", 403, 403),  # Maya herself
        ("otto", 404, 404),  # another family
    ],
)
def test_who_may_see_and_record(request, as_user, referred, persona, get, post_status):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(page_url(referred)).status_code == get
    assert post(client, referred, tremor="no").status_code == post_status
    assert SensoryExam.objects.exists() == (post_status == 302)


def test_a_counselor_on_the_team_reads_but_does_not_record(as_user, clinic, cora, referred):
    counselor = make_user(clinic, "connie", roles=("counselor",))
    patients.care_team_add(
        by=cora, episode=referred, clinician=counselor, discipline=Discipline.COUNSELING
    )
    client = as_user(counselor)
    page = client.get(page_url(referred))
    assert page.status_code == 200 and b"Record an exam" not in page.content
    assert post(client, referred, tremor="no").status_code == 403


# --- The trend, the card, and the page's cost -----------------------------------------------------


def test_the_trend_follows_the_allodynia_area_exam_by_exam(as_user, pat, examine, referred):
    examine(6, brush=LOWER_LEG + FOOT)  # 7.4
    examine(3, brush=FOOT)  # 3.5
    examine(2, pinprick=[])  # no allodynia tested: not on the trend
    examine(1, brush=[])  # 0.0
    page = as_user(pat).get(page_url(referred)).content.decode()
    trend = page[page.index('aria-label="Table of the allodynia area by exam"') :]
    trend = trend[: trend.index("</table>")]
    assert trend.count("<tr>") == 4  # the header and three exams
    assert trend.index("7.4%") < trend.index("3.5%") < trend.index("0.0%")
    assert "<svg viewBox=" in page and "Allodynia area over time" in page


def test_the_overview_card_shows_the_latest_area_against_the_first(
    as_user, pat, maya, examine, referred
):
    examine(6, brush=LOWER_LEG + FOOT)
    examine(1, brush=FOOT)
    page = as_user(pat).get(reverse("patient_overview", args=[maya.pk])).content.decode()
    card = page[page.index('id="sensory-exam-summary"') :]
    card = card[: card.index("</section>")]
    assert "3.5% of body surface" in card and "from 7.4%" in card and "-3.9 points" in card
    assert page_url(referred) in card


def test_the_overview_card_is_for_those_who_see_the_exam(as_user, ada, gina, maya, examine):
    examine(1, brush=FOOT)
    for user in (ada, gina):
        page = as_user(user).get(reverse("patient_overview", args=[maya.pk])).content.decode()
        assert "sensory-exam-summary" not in page


def test_the_page_reads_in_a_fixed_number_of_queries(as_user, pat, examine, referred):
    client = as_user(pat)
    examine(9, brush=FOOT, pinprick=[])
    client.get(page_url(referred))  # the session and the user, warmed
    with CaptureQueriesContext(connection) as few:
        assert client.get(page_url(referred)).status_code == 200
    for weeks in range(1, 9):
        examine(weeks, brush=FOOT[: 1 + weeks % 3], pinprick=["knee-right-front"], tremor="no")
    with CaptureQueriesContext(connection) as many:
        response = client.get(page_url(referred))
    assert response.status_code == 200 and response.content.count(b"Exam on ") == 9
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 8, len(few)  # session, user, roles, episode, scope, audit, exams, findings


def test_sweating_seen_uneven_between_the_sides_is_recorded_and_shown(as_user, pat, referred):
    client = as_user(pat)
    form = client.get(page_url(referred)).content.decode()
    assert '<option value="asymmetric">Uneven between the sides (asymmetric)</option>' in form
    assert post(client, referred, sweating_change="yes", sweating="asymmetric").status_code == 302
    exam = SensoryExam.objects.get()
    assert exam.signs["sweating"] == "asymmetric"
    assert exam.result["budapest_signs"]["sweating_change"] == "yes"
    page = client.get(page_url(referred)).content.decode()
    assert "Sweating uneven between the sides (asymmetric)." in page


# --- The page's details: styles, names, errors tied to their controls ---------------------------


def test_a_counselor_sees_the_pictures_styled(as_user, clinic, cora, examine, referred):
    examine(1, brush=FOOT)
    counselor = make_user(clinic, "connie", roles=("counselor",))
    patients.care_team_add(
        by=cora, episode=referred, clinician=counselor, discipline=Discipline.COUNSELING
    )
    page = as_user(counselor).get(page_url(referred)).content.decode()
    assert "Record an exam" not in page and 'role="img"' in page
    assert "exam/body_map.css" in page


def test_each_maps_show_as_a_list_switch_has_its_own_name(as_user, pat, referred):
    page = as_user(pat).get(page_url(referred)).content.decode()
    names = re.findall(r'class="bm-as-list-label"[^>]*>(.*?)</label>', page)
    words = [re.sub(r"<[^>]+>", "", name) for name in names]
    assert len(words) == 5 and len(set(words)) == 5, words
    assert "Show Light brush: where it evoked pain (allodynia) as a list" in words


def test_an_error_list_describes_its_control(as_user, pat, referred):
    response = post(
        as_user(pat),
        referred,
        brush_regions=FOOT,
        room_c="99",
        temperatures_0_site="Shin",
        temperatures_0_affected_c="31",
    )
    page = response.content.decode()
    pain = re.search(r'<input[^>]*name="brush_evoked_pain"[^>]*>', page).group(0)
    assert 'aria-describedby="id_brush_evoked_pain_error id_brush_evoked_pain_helptext"' in pain
    assert 'id="id_brush_evoked_pain_error"' in page
    room = re.search(r'<input[^>]*name="room_c"[^>]*>', page).group(0)
    assert 'aria-describedby="id_room_c_error id_room_c_helptext"' in room
    other = re.search(r'<input[^>]*name="temperatures_0_other_c"[^>]*>', page).group(0)
    assert "id_temperatures_0_other_c_error" in other
    # A control without an error keeps only its help.
    note = re.search(r'<textarea[^>]*name="note"[^>]*>|<input[^>]*name="note"[^>]*>', page)
    assert note is not None and "_error" not in note.group(0)
