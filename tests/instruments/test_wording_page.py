"""The clinic admin installs a licensed questionnaire's wording without writing JSON: typed on a
page with a live preview, saved all or nothing as a new revision, audited; and any instrument with
its wording as a FHIR Questionnaire to download and install elsewhere."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from backto.audit.models import AuditEvent
from backto.capabilities.instruments.actions import instrument_pack_install
from backto.capabilities.instruments.models import InstrumentPack
from backto.capabilities.instruments.queries import instrument_with_text
from backto.clinical.instrument_packs import InstrumentPack as PackContent
from backto.clinical.instrument_packs import InstrumentPackError
from backto.clinical.instrument_registry import instrument_registry
from tests.conftest import audited, make_user
from tests.measures.conftest import baseline

ITEMS = [str(n) for n in range(1, 16)]
WORDING = reverse("instrument_wording", args=["fdi-parent"])
PREVIEW = reverse("instrument_wording_preview", args=["fdi-parent"])


def typed(**changes: str) -> dict[str, str]:
    data = {f"item-{n}": f"How hard was activity {n} for your child?" for n in ITEMS}
    data |= {"instructions": "Think about the last few days.", "licensed_to": "Lakeside"}
    data |= {"option-0": "No trouble", "option-4": "Impossible"}
    return data | changes


def test_the_admin_types_the_wording_and_a_parent_is_then_given_it(
    as_user, ada, gina, maya, active
):
    client = as_user(ada)
    page = client.get(WORDING).content.decode()
    assert page.count("<textarea") == 15 + 1  # the items and the instructions
    assert "Shipped label: 0 (no trouble)" in page and 'hx-post="' + PREVIEW in page
    response = client.post(WORDING, typed())
    assert response.status_code == 302 and response.url == reverse("instrument_admin")
    pack = InstrumentPack.objects.get()
    assert (pack.revision, pack.licensed_to, pack.source_name) == (
        1,
        "Lakeside",
        "typed on the wording page",
    )
    assert audited("create", object_type="instrumentpack")
    instrument = instrument_with_text(maya.clinic, "fdi-parent")
    assert instrument.instructions == "Think about the last few days."
    labels = [o.label for o in instrument.items[0].answerOption]
    assert labels == ["No trouble", "1", "2", "3", "Impossible"]  # empty ones keep the shipped
    # The parent now answers it, with the words.
    fdi = baseline(active, "fdi-parent")
    client.logout()
    form = as_user(gina).get(reverse("administration", args=[fdi.pk])).content.decode()
    assert "How hard was activity 1 for your child?" in form
    assert "Think about the last few days." in form and "Impossible" in form


def test_the_page_opens_with_the_current_wording_and_saving_again_makes_a_revision(as_user, ada):
    client = as_user(ada)
    client.post(WORDING, typed())
    page = client.get(WORDING).content.decode()
    assert "How hard was activity 7 for your child?" in page
    client.post(WORDING, typed())  # the same words: nothing new
    client.post(WORDING, typed(**{"item-3": "Walking to the bus stop"}))
    assert list(InstrumentPack.objects.values_list("revision", flat=True)) == [1, 2]
    assert "2 (current)" in client.get(WORDING).content.decode()


def test_a_missing_item_is_named_and_nothing_is_saved(as_user, ada):
    response = as_user(ada).post(WORDING, typed(**{"item-9": "  "}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Type the wording of item 9." in page
    assert "How hard was activity 8 for your child?" in page  # what was typed stays
    assert not InstrumentPack.objects.exists()
    assert not AuditEvent.objects.filter(object_type="instrumentpack").exists()


def test_the_preview_shows_the_form_as_the_family_will_see_it(as_user, ada):
    client = as_user(ada)
    partial = client.post(PREVIEW, typed(), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    text = partial.content.decode()
    assert "<html" not in text and "As a parent will see it" in text
    assert "How hard was activity 15 for your child?" in text and text.count('type="radio"') == 75
    unfinished = client.post(PREVIEW, typed(**{"item-2": ""}), HTTP_HX_REQUEST="true")
    assert "Still to do" in unfinished.content.decode() and "Item 2" in unfinished.content.decode()
    # Without script, the Preview button shows the whole page with the preview.
    page = client.post(PREVIEW, typed()).content.decode()
    assert "<html" in page and "As a parent will see it" in page
    assert not InstrumentPack.objects.exists()  # a preview saves nothing


def test_only_whoever_manages_questionnaires_reaches_it(as_user, pat, gina, ada):
    assert as_user(pat).get(WORDING).status_code == 403
    assert as_user(gina).get(WORDING).status_code == 403
    assert as_user(pat).post(WORDING, typed()).status_code == 403
    assert not InstrumentPack.objects.exists()
    client = as_user(ada)
    # an instrument whose words ship with BackTo has no wording page; nor an unknown one
    assert client.get(reverse("instrument_wording", args=["school"])).status_code == 404
    assert client.get(reverse("instrument_wording", args=["fdi-teen"])).status_code == 404


def test_the_fhir_download_installs_at_a_sister_clinic_unchanged(
    as_user, ada, clinic, other_clinic
):
    as_user(ada).post(WORDING, typed())
    response = as_user(ada).get(reverse("instrument_questionnaire_download", args=["fdi-parent"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/fhir+json"
    assert "fdi-parent-1.0.0.questionnaire.json" in response["Content-Disposition"]
    resource = json.loads(response.content)
    assert resource["resourceType"] == "Questionnaire" and audited("export")
    sister_admin = make_user(other_clinic, "sister-admin", roles=("clinic_admin",))
    upload = SimpleUploadedFile("fdi-parent.json", response.content, "application/json")
    installed = as_user(sister_admin).post(reverse("questionnaire_pack_install"), {"pack": upload})
    assert installed.status_code == 302
    here = instrument_with_text(clinic, "fdi-parent")
    there = instrument_with_text(other_clinic, "fdi-parent")
    assert there.items == here.items and there.instructions == here.instructions
    assert there.pack.licensed_to is None  # the licence is the sister clinic's to state
    # a shipped instrument downloads too, with its own words
    shipped = as_user(ada).get(reverse("instrument_questionnaire_download", args=["nrs-pain"]))
    nrs = instrument_registry().get("nrs-pain")
    assert json.loads(shipped.content)["item"][0]["text"] in {i.text for i in nrs.items}


def test_the_preview_and_the_download_are_for_whoever_manages_questionnaires(
    as_user, pat, gina, ada
):
    download = reverse("instrument_questionnaire_download", args=["fdi-parent"])
    for person in (pat, gina):
        client = as_user(person)
        assert client.post(PREVIEW, typed(), HTTP_HX_REQUEST="true").status_code == 403
        assert client.get(download).status_code == 403
    client = as_user(ada)
    assert client.get(PREVIEW).status_code == 405  # the preview is posted
    assert (
        client.get(reverse("instrument_questionnaire_download", args=["nope"])).status_code == 404
    )
    assert audited("permission_denied", object_id="instrument_questionnaire_download")


def test_a_refused_install_is_shown_on_the_page_not_a_server_error(as_user, ada, monkeypatch):
    def refuse(**kwargs):
        raise InstrumentPackError("typed on the wording page: refused for a reason")

    monkeypatch.setattr("backto.capabilities.instruments.views.instrument_pack_install", refuse)
    response = as_user(ada).post(WORDING, typed())
    assert response.status_code == 400
    assert "refused for a reason" in response.content.decode()


def test_what_only_a_pack_file_sets_is_kept_when_the_wording_is_edited(as_user, ada, clinic):
    ppst = instrument_registry().get("ppst")
    pack = PackContent(
        instrument="ppst",
        version=ppst.version,
        items={i.linkId: f"Statement {i.linkId}" for i in ppst.items},
        subscales={"psychosocial": ("3", "5", "6", "8", "9")},
        note="confirmed against the scoring sheet",
    )
    instrument_pack_install(clinic=clinic, pack=pack, source_name="ppst.json", username="t")
    url = reverse("instrument_wording", args=["ppst"])
    client = as_user(ada)
    page = client.get(url).content.decode()
    data = {f"item-{i.linkId}": f"Statement {i.linkId}" for i in ppst.items}
    assert "Statement 9" in page
    assert client.post(url, data | {"item-2": "A new statement 2"}).status_code == 302
    latest = InstrumentPack.objects.get(instrument_id="ppst", revision=2).pack()
    assert latest.subscales == {"psychosocial": ("3", "5", "6", "8", "9")}
    assert latest.note == "confirmed against the scoring sheet"
    assert latest.items["2"] == "A new statement 2"


def test_a_pack_cannot_replace_wording_that_ships_with_backto(clinic):
    asq = instrument_registry().get("asq")
    pack = PackContent(
        instrument="asq", version=asq.version, items={i.linkId: "Altered" for i in asq.items}
    )
    with pytest.raises(InstrumentPackError, match="ships its own wording"):
        instrument_pack_install(clinic=clinic, pack=pack, source_name="asq.json", username="t")
    assert not InstrumentPack.objects.exists()
