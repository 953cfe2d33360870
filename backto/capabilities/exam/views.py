"""The functional tests page: each test's results over time for the care team, and the form a
clinician who examines records a test with."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import can, get_episode_for
from backto.capabilities.exam import actions
from backto.capabilities.exam.charts import series_chart
from backto.capabilities.exam.forms import FORMS, ChosenTestForm, FunctionalTestForm
from backto.capabilities.exam.queries import episode_series
from backto.clinical.functional_tests import TESTS
from backto.core.forms import apply_errors, error_summary


@require_http_methods(["GET", "POST"])
def functional_tests(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    """GET: every test's results, table and trend, and the chosen test's form (`?test=`).
    POST: record one test (its id in the hidden `test`)."""
    episode = get_episode_for(
        request, episode_id, Permission.EXAM_VIEW, write=Permission.EXAM_RECORD
    )
    permissions = can(request.user, episode.patient)
    form: FunctionalTestForm | None = None
    if request.method == "POST":
        test_id = ChosenTestForm(request.POST, required=True).chosen()
        form = FORMS[test_id](request.POST)
        if form.is_valid():
            try:
                actions.functional_test_record(
                    by=request.user,
                    episode=episode,
                    test_id=test_id,
                    day=form.cleaned_data["day"],
                    inputs=form.inputs(),
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_errors(form, error, form.field_for)
            else:
                messages.success(request, f"{TESTS[test_id].name} saved.")
                url = reverse("functional_tests", kwargs={"episode_id": episode.pk})
                return redirect(f"{url}?test={test_id}")
    else:
        test_id = ChosenTestForm(request.GET).chosen()
        if permissions[Permission.EXAM_RECORD]:
            form = FORMS[test_id]()
    series = episode_series(episode.pk)
    tested = {s.test_id for s in series}
    return render(
        request,
        "exam/functional_tests.html",
        {
            "episode": episode,
            "patient": episode.patient,
            "can": permissions,
            "form": form,
            "problems": error_summary(form) if form is not None and form.is_bound else [],
            "chosen": test_id,
            "tests": [(test.id, test.name) for test in TESTS.values()],
            "series": [(s, series_chart(s)) for s in series],
            "untested": [test.name for test in TESTS.values() if test.id not in tested],
        },
    )
