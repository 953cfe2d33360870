import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from backto.access.accounts.models import User
from backto.access.patients.models import Episode, Guardianship, Patient
from backto.capabilities.exam.models import FunctionalTest
from backto.capabilities.measures.queries import AT_VISIT
from tests.conftest import PASSWORD

FIXED = ["demo-pt", "demo-ot", "demo-counselor", "demo-physician", "demo-coordinator", "demo-admin"]


def run_demo(*args):
    out = StringIO()
    call_command("demo", "--password", PASSWORD, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def signs_in(client, username):
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    client.logout()
    return response.status_code == 302


def snapshot():
    return [
        (p.legal_name, p.date_of_birth, p.sex, [e.state for e in p.episodes.order_by("id")])
        for p in Patient.objects.order_by("id")
    ]


def test_it_creates_the_fixed_demo_users(db, client):
    output = run_demo("--patients", "12")
    for username in FIXED:
        assert username in output
        assert signs_in(client, username), username
    patients = list(Patient.objects.order_by("id"))
    assert len(patients) == 12
    for k, patient in enumerate(patients, start=1):
        parent = User.objects.get(username=f"demo-parent-{k}")
        assert list(
            Guardianship.objects.filter(guardian=parent).values_list("patient", flat=True)
        ) == [patient.pk]
        teen = User.objects.filter(username=f"demo-teen-{k}").first()
        assert (teen is not None) == (patient.age >= 12)
        if teen:
            assert patient.teen_account == teen
    assert signs_in(client, "demo-parent-12")
    teen = User.objects.filter(username__startswith="demo-teen-").first()
    assert teen is not None and signs_in(client, teen.username)


def test_it_looks_like_a_real_program(db):
    run_demo("--patients", "24", "--seed", "3")
    patients = list(Patient.objects.all())
    assert all(8 <= p.age <= 18 for p in patients)
    assert sum(p.sex == "female" for p in patients) > len(patients) / 2
    counts = [e.painful_region_count for e in Episode.objects.all()]
    assert any(c >= 5 for c in counts) and any(c < 5 for c in counts)
    states = set(Episode.objects.values_list("state", flat=True))
    assert {
        "referred",
        "intake",
        "active",
        "discharged",
        "follow_up",
        "closed",
        "withdrawn",
    } <= states
    assert Episode.objects.filter(previous_episode__isnull=False).exists()


def test_it_is_deterministic_for_a_seed(db):
    # The first demo is rolled back whole (a savepoint), so nothing of it is left to delete by hand.
    with transaction.atomic():
        run_demo("--patients", "6", "--seed", "7")
        first = snapshot()
        transaction.set_rollback(True)
    run_demo("--patients", "6", "--seed", "7")
    assert snapshot() == first


def test_it_refuses_to_run_twice(db):
    run_demo("--patients", "1")
    with pytest.raises(CommandError, match="already exists"):
        run_demo("--patients", "1")


def test_if_empty_lists_the_same_logins_as_the_first_start(db):
    first = run_demo("--patients", "2")
    again = run_demo("--patients", "2", "--if-empty")
    listing = first.split("demo password:\n", 1)[1]
    assert listing in again and "parent of" in listing and "(physical therapist)" in listing
    assert Patient.objects.count() == 2


def test_a_new_demo_password_is_said_or_given_to_the_demo_users(db, client):
    run_demo("--patients", "1")
    out = StringIO()
    call_command("demo", "--password", "a-new-password", "--if-empty", stdout=out)
    assert "not the one given now" in out.getvalue()
    assert signs_in(client, "demo-pt")  # still the first password
    call_command(
        "demo", "--password", "a-new-password", "--if-empty", "--set-password", stdout=StringIO()
    )
    response = client.post(
        "/accounts/login/", {"username": "demo-parent-1", "password": "a-new-password"}
    )
    assert response.status_code == 302


def test_it_names_the_bad_option(db):
    with pytest.raises(CommandError, match="--patients must be between 1 and 500"):
        run_demo("--patients", "0")


def test_the_program_history_puts_function_before_pain(db):
    """Across the demo, activity rises in the weeks before pain falls (CLINICAL.md)."""
    from statistics import mean

    from backto.capabilities.diary.models import DiaryEntry
    from backto.capabilities.goals.models import Goal, GoalRating
    from backto.capabilities.wins.models import Win

    run_demo("--patients", "12", "--seed", "1")
    assert Goal.objects.exists() and GoalRating.objects.exists() and Win.objects.exists()
    assert DiaryEntry.objects.filter(safety_alert=True).count() == 1
    early, late = [], []
    for entry in DiaryEntry.objects.filter(respondent="child").select_related("patient"):
        first = entry.patient.diary_entries.order_by("day").first().day
        weeks = (entry.day - first).days // 7
        (early if weeks < 3 else late if 6 <= weeks < 10 else []).append(entry.answers)
    assert mean(a["activity"] for a in late) > mean(a["activity"] for a in early) + 1
    # Pain lags: by weeks 6-10 activity has gained more (0-4 scale) than pain has lost (0-10).
    activity_gain = (mean(a["activity"] for a in late) - mean(a["activity"] for a in early)) / 4
    pain_drop = (mean(a["pain"] for a in early) - mean(a["pain"] for a in late)) / 10
    assert activity_gain > pain_drop > 0
    # Missed days are simply missing: each child with a month of history skipped some days.
    by_child: dict[int, list] = {}
    for patient_id, day in DiaryEntry.objects.filter(respondent="child").values_list(
        "patient_id", "day"
    ):
        by_child.setdefault(patient_id, []).append(day)
    for days in by_child.values():
        span = (max(days) - min(days)).days + 1
        if span >= 30:
            assert len(set(days)) < span


def test_the_demo_has_a_history_of_questionnaires_that_improves(db):
    from decimal import Decimal
    from statistics import mean

    from backto.capabilities.alerts.models import SafetyAlert
    from backto.capabilities.measures.models import Administration
    from backto.clinical.instrument_registry import instrument_registry
    from backto.clinical.scoring import score

    run_demo("--patients", "12", "--seed", "1")
    done = Administration.objects.filter(state="completed")
    assert done.filter(timepoint="baseline").exists() and done.filter(timepoint="program").exists()
    assert done.filter(on_behalf=True).exists()
    assert Administration.objects.filter(state="due").exists()
    assert SafetyAlert.objects.open().count() == 1
    # Scores are the clinical core's, and FDI falls from baseline to the latest score.
    for a in done[:20]:
        expected = score(
            instrument_registry().get(a.instrument_id, a.instrument_version), a.answers
        )
        assert a.result["total"] == (None if expected.total is None else str(expected.total))
    first, last = [], []
    for episode_id in (
        done.filter(instrument_id="fdi-child").values_list("episode_id", flat=True).distinct()
    ):
        totals = [
            Decimal(t)
            for t in done.filter(episode_id=episode_id, instrument_id="fdi-child")
            .order_by("completed_at")
            .values_list("result__total", flat=True)
        ]
        if len(totals) >= 3:
            first.append(totals[0])
            last.append(totals[-1])
    assert first and mean(last) < mean(first) - 5


@pytest.mark.slow
def test_the_demos_pcs_c_scores_fall_in_every_band_and_few_children_are_flagged(db):
    """CLINICAL.md's PCS-C bands (low below 15, moderate 15 to below 26, high 26 and above): a
    demo clinic spreads over them with a minority high, and the caseload's flag marks exactly
    the children whose latest PCS-C is in the high band."""
    from django.utils import timezone

    from backto.capabilities.measures.models import Administration, EpisodeMeasureSummary
    from backto.readers.dashboards.caseload_signals import caseload_signals

    run_demo("--patients", "12", "--seed", "1")
    baseline = Administration.objects.filter(
        instrument_id="pcs-c", timepoint="baseline", state="completed"
    )
    totals = [float(t) for t in baseline.values_list("score_total", flat=True)]
    assert len(totals) >= 6
    assert any(t < 15 for t in totals) and any(15 <= t < 26 for t in totals)
    assert 0 < sum(t >= 26 for t in totals) < len(totals) / 2
    latest = {
        episode.patient_id: episode
        for episode in Episode.objects.order_by("referral_date", "id")  # the latest wins
    }
    rows = [(pid, e.pk, e.state == "active") for pid, e in latest.items()]
    coordinator = User.objects.get(username="demo-coordinator")
    signals = caseload_signals(rows, timezone.localdate(), viewer=coordinator)
    bands = dict(EpisodeMeasureSummary.objects.values_list("episode_id", "pcs_c_band"))
    flagged = {pid for pid, s in signals.items() if "catastrophizing" in s.flags}
    assert flagged == {pid for pid, e in latest.items() if bands.get(e.pk) == "high"}
    scored = [pid for pid, e in latest.items() if bands.get(e.pk)]
    assert len(flagged) < len(scored) / 2


def test_no_demo_family_is_shown_a_questionnaire_without_its_words(db, client):
    run_demo("--patients", "12")
    families = User.objects.filter(username__regex=r"^demo-(parent|teen)-\d+$").order_by("pk")
    shown = at_visit = 0
    for person in families:
        client.force_login(person)
        home = client.get(reverse("family_home")).content.decode()
        at_visit += AT_VISIT in home
        for address in set(re.findall(r'href="(/questionnaires/\d+/)"', home)):
            page = client.get(address).content.decode()
            main = page[page.index("<main") : page.index("</main>")]
            assert not re.search(r"\bitem \d", main, re.IGNORECASE), (person.username, address)
            assert "licensed paper form" not in main, (person.username, address)
            shown += 1
        client.logout()
    # the demo's families have questionnaires to fill in (the pain ratings, the school week, the
    # GAD-7 and the impression of change), and licensed ones waiting for the next visit
    assert shown > 0 and at_visit > 0


def test_the_demos_functional_tests_follow_the_recovery(db):
    run_demo("--patients", "12")
    walks: dict[int, list[float]] = {}
    for test in FunctionalTest.objects.filter(test_id="6mwt").order_by("day", "pk"):
        walks.setdefault(test.episode_id, []).append(test.inputs["distance_m"])
    followed = [w for w in walks.values() if len(w) >= 3]
    assert followed, "some children have had several walk tests"
    longer = sum(w[-1] > w[0] for w in followed)
    assert longer >= len(followed) * 0.6  # most walk further as function returns


def test_the_demos_health_care_falls_after_the_program(db):
    """CLINICAL.md: visits fall after function returns. Every healthcare-use form is scored as
    completing scores it, with the months it covers filled as completing fills them."""
    from datetime import timedelta
    from decimal import Decimal

    from backto.capabilities.measures.models import Administration
    from backto.clinical.instrument_registry import instrument_registry
    from backto.clinical.scoring import months_between, score

    run_demo("--patients", "12", "--seed", "1")
    forms = Administration.objects.filter(
        instrument_id="healthcare-use", state="completed"
    ).order_by("episode_id", "completed_at")
    assert forms.filter(timepoint="baseline").exists()
    assert not forms.filter(timepoint="program").exists()  # never asked during the program
    before, after = [], []
    previous: dict[int, Administration] = {}
    for form in forms:
        earlier = previous.get(form.episode_id)
        expected_months = (
            Decimal("3.0")
            if earlier is None
            else max(
                months_between(
                    earlier.completed_at.date(), form.completed_at.date() + timedelta(0)
                ),
                Decimal("0.1"),
            )
        )
        assert Decimal(str(form.answers["months_covered"])) == expected_months
        expected = score(instrument_registry().get("healthcare-use"), form.answers)
        assert form.score_total == expected.total
        if form.timepoint == "baseline":
            before.append(form.score_total)
        elif earlier is not None and earlier.timepoint == "baseline":
            after.append(form.score_total)
        previous[form.episode_id] = form
    assert before and after
    assert sum(after) / len(after) < sum(before) / len(before)
