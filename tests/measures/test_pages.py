"""The admin's questionnaire page, the reminder email, and fixed query counts."""

import json
from datetime import datetime, time

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backto.access.accounts.models import UserKind
from backto.capabilities.instruments.models import InstrumentPack
from backto.capabilities.measures import actions
from backto.capabilities.measures.models import Administration, ClinicMeasure
from tests.conftest import audited, make_user
from tests.measures.conftest import baseline

URL = reverse("instrument_admin")
PACK_URL = reverse("questionnaire_pack_install")


def pack_file(name="fdi.json", **changes):
    data = {
        "instrument": "fdi-child",
        "version": "1.0.0",
        "licensed_to": "Lakeside Pain Program",
        "items": {str(n): f"Licensed wording {n}" for n in range(1, 16)},
    } | changes
    return SimpleUploadedFile(name, json.dumps(data).encode(), content_type="application/json")


def test_the_admin_sees_which_wording_is_missing_and_installs_a_pack(
    as_user, ada, gina, maya, active
):
    client = as_user(ada)
    home = client.get(reverse("clinician_home")).content.decode()
    assert "Not sent to families until the clinic installs" in home
    assert "Functional Disability" in home
    page = client.get(URL).content.decode()
    assert "not installed: asked at the next visit" in page
    response = client.post(PACK_URL, {"pack": pack_file()})
    assert response.status_code == 302
    assert InstrumentPack.objects.get().licensed_to == "Lakeside Pain Program"
    assert audited("create", object_type="instrumentpack")
    client.logout()
    # The child's questionnaire now reads with the licensed wording.
    teen = make_user(maya.clinic, "maya-own", kind=UserKind.TEEN)
    maya.teen_account = teen
    maya.save()
    fdi = baseline(active, "fdi-child")
    page = as_user(teen).get(reverse("administration", args=[fdi.pk])).content.decode()
    assert "Licensed wording 1" in page and "short labels" not in page


def test_a_bad_pack_is_refused_naming_the_file_and_nothing_is_installed(as_user, ada):
    client = as_user(ada)
    page = client.post(PACK_URL, {"pack": pack_file(items={"1": "only one"})}).content.decode()
    assert "fdi.json (fdi-child 1.0.0): items: linkIds must match exactly" in page
    page = client.post(
        PACK_URL, {"pack": SimpleUploadedFile("x.json", b"{not json")}
    ).content.decode()
    assert "x.json is not a JSON file" in page
    assert not InstrumentPack.objects.exists()


def test_the_admin_chooses_the_questionnaires_and_how_often(as_user, ada, maya, active):
    client = as_user(ada)
    response = client.post(
        URL,
        {
            "use-fdi-child": "1",
            "every-fdi-child": "1",
            "use-nrs-pain": "1",
            "every-nrs-pain": "0",
        },
        follow=True,
    )
    assert "pending ones of removed questionnaires were cancelled" in response.content.decode()
    assert set(ClinicMeasure.objects.values_list("instrument_id", "every_weeks")) == {
        ("fdi-child", 1),
        ("nrs-pain", 0),
    }
    assert baseline(active, "pcs-p").state == "cancelled"
    page = client.post(
        URL, {"use-fdi-child": "1", "every-fdi-child": "13"}, follow=True
    ).content.decode()
    assert "fdi-child: how often must be from 0 to 12 weeks." in page
    assert ClinicMeasure.objects.count() == 2


def test_only_the_admin_manages_questionnaires(as_user, client, pat, gina):
    assert as_user(pat).get(URL).status_code == 403
    assert client.post(PACK_URL, {"pack": pack_file()}).status_code == 403
    assert not InstrumentPack.objects.exists()
    client.logout()
    assert as_user(gina).get(URL).status_code == 403


def test_the_reminder_email_says_how_many_questionnaires_wait(worded, as_user, gina, maya, active):
    from backto.capabilities.diary.reminders import send_due_reminders

    as_user(gina).post(reverse("diary_reminder", args=[maya.pk]), {"time_of_day": "18:00"})
    mail.outbox.clear()
    after = datetime.combine(timezone.localdate(), time(18, 5), timezone.get_current_timezone())
    assert send_due_reminders(after) == 1
    body = mail.outbox[0].body
    # Maya has no account of her own: her mother answers Maya's forms with her, and her own.
    waiting = Administration.objects.filter(episode=active, state="due").count()
    assert f"{waiting} questionnaires are waiting" in body and "Maya" not in body


def test_the_patient_page_and_family_home_keep_their_query_counts(
    as_user, client, pat, gina, maya, active
):
    def count(user, url):
        client.force_login(user, backend="backto.access.accounts.backends.UsernameOrEmailBackend")
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    overview = reverse("patient_overview", args=[maya.pk])
    home = reverse("family_home")
    before = (count(pat, overview), count(gina, home))
    for administration in Administration.objects.filter(episode=active, state="due"):
        answers = (
            dict.fromkeys(("1", "2", "3"), 1)
            if administration.instrument_id.startswith("fdi")
            else {}
        )
        actions.administration_answer(
            by=pat, administration=administration, answers=answers, finish=True
        )
    assert (count(pat, overview), count(gina, home)) == before


def test_a_pack_nested_too_deep_or_with_a_huge_number_is_refused_on_the_page(as_user, ada):
    client = as_user(ada)
    for content, message in [
        (b"[" * 100_000 + b"]" * 100_000, "nest 100000 deep; a pack nests at most 8"),
        (b'{"pack_format": ' + b"9" * 5000 + b"}", "a number has 5000 digits"),
    ]:
        upload = SimpleUploadedFile("deep.json", content, content_type="application/json")
        response = client.post(PACK_URL, {"pack": upload})
        assert response.status_code == 200 and message in response.content.decode()
    assert not InstrumentPack.objects.exists()
