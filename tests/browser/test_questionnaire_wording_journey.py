"""Questionnaires that work out of the box: the admin types the FDI's licensed wording on its page
(with the live preview) and a parent then answers it; before that, no family page shows an item
without its words; the care team enters the ASQ in clinic and an acute answer comes first."""

import re

import pytest
from playwright.sync_api import Page, expect

from backto.capabilities.instruments.queries import instrument_with_text
from backto.capabilities.measures.models import Administration
from tests.browser.conftest import assert_accessible, sign_in, sign_out
from tests.conftest import install_test_wording, make_user

pytestmark = pytest.mark.browser

AT_VISIT = "Your care team will go through a short questionnaire with you at your next visit"


def test_the_admin_installs_the_fdi_wording_and_a_parent_answers_it(
    page: Page, live_server, ada, gina, maya, active
):
    sign_in(page, live_server.url, "ada")
    page.get_by_role("link", name="Questionnaires", exact=True).click()
    page.get_by_role(
        "link", name="Type the wording of Functional Disability Inventory, parent form"
    ).click()
    expect(page.get_by_role("heading", name=re.compile("Wording of Functional"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Licensed to").fill("Lakeside Pain Program")
    page.get_by_label("Instructions").fill("Think about the last two weeks.")
    for number in range(1, 16):
        page.get_by_label(re.compile(rf"^Item {number} \(")).fill(
            f"How hard was activity {number} for your child?"
        )
    page.get_by_label("Answer 4").fill("Impossible")
    # The preview follows the typing, as the parent will see the form.
    preview = page.locator("#preview")
    expect(preview.get_by_text("As a parent will see it")).to_be_visible()
    expect(preview.get_by_text("How hard was activity 15 for your child?")).to_be_visible()
    expect(preview.get_by_text("Impossible").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save the wording").click()
    expect(page.get_by_text(re.compile("Saved the wording of Functional"))).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, live_server.url, "gina")
    page.get_by_role("link", name="Functional Disability Inventory, parent form").click()
    expect(page.get_by_text("Think about the last two weeks.")).to_be_visible()
    assert_accessible(page)
    for number in range(1, 16):
        page.get_by_role(
            "group", name=f"How hard was activity {number} for your child?"
        ).get_by_label("1", exact=True).check()
    page.get_by_role("button", name="Finish", exact=True).click()
    expect(page.get_by_role("heading", name="All done. Thank you!")).to_be_visible()
    fdi = Administration.objects.get(
        episode=active, instrument_id="fdi-parent", timepoint="baseline"
    )
    assert fdi.state == "completed" and fdi.wording_revision == 1 and not fdi.on_behalf


@pytest.mark.phone
@pytest.mark.parametrize("who", ["gina", "maya13"])
def test_no_family_page_shows_an_item_without_its_words(
    page: Page, live_server, who, gina, maya_teen, maya, active
):
    sign_in(page, live_server.url, who)
    expect(page.get_by_text(AT_VISIT)).to_be_visible()
    assert_accessible(page)
    links = page.locator("a[href^='/questionnaires/']")
    addresses = [links.nth(n).get_attribute("href") for n in range(links.count())]
    assert addresses  # the pain ratings and the school week ship their words
    for address in addresses:
        page.goto(live_server.url + address)
        body = page.locator("main").inner_text()
        assert not re.search(r"\bitem \d", body, re.IGNORECASE), body
        assert "licensed" not in body
    # a licensed form opened by its address says only that it waits for the visit
    mine = "fdi-child" if who == "maya13" else "fdi-parent"
    fdi = Administration.objects.get(episode=active, instrument_id=mine, timepoint="baseline")
    page.goto(f"{live_server.url}/questionnaires/{fdi.pk}/")
    expect(page.get_by_text(AT_VISIT)).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(0)
    assert_accessible(page)


def test_the_care_team_enters_the_asq_in_clinic_and_an_acute_answer_comes_first(
    page: Page, live_server, pat, gina, maya, active
):
    asq = Administration.objects.create(
        episode=active,
        instrument_id="asq",
        respondent="child",
        timepoint="program",
        label="Week 2",
        due_on=fdi_day(active),
        state="due",
    )
    sign_in(page, live_server.url, "gina")
    expect(page.get_by_text(AT_VISIT)).to_be_visible()
    expect(page.locator(f"a[href='/questionnaires/{asq.pk}/']")).to_have_count(0)
    sign_out(page)

    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/questionnaires/{asq.pk}/")
    assert_accessible(page)
    groups = page.get_by_role("group")
    groups.nth(0).get_by_label("Yes", exact=True).check()
    for n in (1, 2, 3):
        groups.nth(n).get_by_label("No", exact=True).check()
    groups.nth(4).get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Finish", exact=True).click()
    expect(
        page.get_by_text(re.compile("Acute: an answer this questionnaire marks urgent"))
    ).to_be_visible()
    expect(page.get_by_text("positive screen", exact=False).first).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_text("Urgent:").first).to_be_visible()
    assert_accessible(page)


def fdi_day(active):
    return Administration.objects.filter(episode=active).order_by("due_on")[0].due_on


def test_a_clinic_shares_its_wording_with_a_sister_clinic_as_fhir(
    page: Page, live_server, ada, clinic, other_clinic, tmp_path
):
    install_test_wording(clinic, "fdi-parent")
    sister = make_user(other_clinic, "sister-admin", roles=("clinic_admin",))
    sign_in(page, live_server.url, "ada")
    page.get_by_role("link", name="Questionnaires", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role(
            "link",
            name="Download as FHIR Questionnaire: Functional Disability Inventory, parent form",
        ).click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "fdi-parent-1.0.0.questionnaire.json"
    sign_out(page)

    sign_in(page, live_server.url, sister.username)
    page.get_by_role("link", name="Questionnaires", exact=True).click()
    page.get_by_label(re.compile("Wording file")).set_input_files(str(saved))
    page.get_by_role("button", name="Install").click()
    expect(page.get_by_text("Installed the wording of fdi-parent 1.0.0.")).to_be_visible()
    assert_accessible(page)
    theirs = instrument_with_text(other_clinic, "fdi-parent")
    assert theirs.items[0].text == "Test wording of fdi-parent item 1"


@pytest.mark.phone
def test_a_parent_turns_questionnaire_emails_off_and_on(
    page: Page, live_server, gina, maya, active
):
    sign_in(page, live_server.url, "gina")
    emails = page.locator("summary", has_text="Questionnaire reminders")
    expect(emails).to_have_text("Questionnaire reminders: on")
    emails.click()  # folded away, to keep the home short
    expect(page.get_by_text(re.compile("Questionnaire reminders are on"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Turn off questionnaire reminders").click()
    expect(emails).to_have_text("Questionnaire reminders: off")
    emails.click()
    expect(
        page.get_by_text(f"Questionnaire reminders about {maya.first_name} are off.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Turn on questionnaire reminders").click()
    expect(emails).to_have_text("Questionnaire reminders: on")
