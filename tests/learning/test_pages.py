"""Reading the clinic's learning pages, and the admin who changes them."""

from django.urls import reverse

from backto.capabilities.learning.content import shipped_pages
from backto.capabilities.learning.models import LearningPage
from tests.conftest import audited, make_user

SHIPPED = shipped_pages()[("parents", "what-is-amps")]


def page_url(audience="parents", slug="what-is-amps"):
    return reverse("learning_page", args=[audience, slug])


def edit_url(audience="parents", slug="what-is-amps"):
    return reverse("learning_page_edit", args=[audience, slug])


def test_a_guardian_sees_the_parents_pages_and_a_teen_the_kids_pages(as_user, gina, maya_teen):
    parents = as_user(gina).get(reverse("learning_index")).content.decode()
    assert SHIPPED.title in parents
    assert shipped_pages()[("kids", "what-is-amps")].title not in parents
    kids = as_user(maya_teen).get(reverse("learning_index")).content.decode()
    assert shipped_pages()[("kids", "what-is-amps")].title in kids
    either = as_user(maya_teen).get(reverse("learning_index"), {"for": "parents"})
    assert SHIPPED.title in either.content.decode()


def test_a_page_shows_its_words_and_the_same_topic_for_the_other_readers(as_user, gina):
    response = as_user(gina).get(page_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert SHIPPED.title in text and "<h2>" in text
    assert page_url("kids") in text


def test_an_unknown_page_is_not_found(as_user, gina):
    assert as_user(gina).get(page_url(slug="no-such-page")).status_code == 404
    assert as_user(gina).get(page_url(audience="teachers")).status_code == 404


def test_only_those_who_keep_the_pages_open_the_admin(as_user, ada, cora, pat, gina):
    assert as_user(ada).get(reverse("learning_admin")).status_code == 200
    assert as_user(cora).get(reverse("learning_admin")).status_code == 200
    assert as_user(pat).get(reverse("learning_admin")).status_code == 403
    assert as_user(gina).post(edit_url(), {"save": "1"}).status_code == 403
    assert audited("permission_denied", detail="403 learning_edit")


def test_the_admin_lists_every_page_with_its_reading_level(as_user, ada):
    text = as_user(ada).get(reverse("learning_admin")).content.decode()
    assert text.count("grade ") >= len(shipped_pages())
    assert "above the target" not in text


def test_an_admin_changes_a_shipped_page_and_can_go_back(as_user, ada, gina, clinic):
    client = as_user(ada)
    response = client.post(
        edit_url(),
        {
            "title": SHIPPED.title,
            "summary": SHIPPED.summary,
            "body": "## Our clinic\n\nWe help.",
            "save": "1",
        },
    )
    assert response.status_code == 302
    row = LearningPage.objects.get(clinic=clinic)
    # Only the changed part is stored: the title and summary keep following BackTo's wording.
    assert (row.title, row.summary, row.body) == ("", "", "## Our clinic\n\nWe help.")
    assert audited("update", object_type="learningpage")
    assert "We help." in as_user(gina).get(page_url()).content.decode()
    as_user(ada).post(reverse("learning_page_restore", args=["parents", "what-is-amps"]))
    assert "We help." not in as_user(gina).get(page_url()).content.decode()


def test_another_clinics_changes_stay_in_that_clinic(as_user, ada, other_clinic, gina):
    admin = make_user(other_clinic, "hilltop-admin", roles=("clinic_admin",))
    as_user(admin).post(
        edit_url(),
        {"title": "Hilltop's page", "summary": "", "body": "Only at Hilltop.", "save": "1"},
    )
    assert "Only at Hilltop." not in as_user(gina).get(page_url()).content.decode()


def test_the_preview_shows_the_reading_level_without_saving(as_user, ada):
    response = as_user(ada).post(
        reverse("learning_page_preview", args=["kids", "signs"]),
        {
            "title": "Hard words",
            "body": "Interdisciplinary rehabilitation necessitates individualized "
            "multidisciplinary intervention considerations.",
            "preview": "1",
        },
    )
    text = response.content.decode()
    assert "above the target of 4" in text
    assert not LearningPage.objects.exists()


def test_a_new_page_is_previewed_for_its_readers_without_saving(as_user, ada):
    response = as_user(ada).post(
        reverse("learning_page_new_preview"),
        {"audience": "kids", "title": "Parking", "body": "Park in lot B. It is free."},
    )
    assert response.status_code == 200
    assert "within the target of 4" in response.content.decode()
    assert not LearningPage.objects.exists()


def test_an_admin_adds_a_page_of_the_clinics_own(as_user, ada, gina):
    response = as_user(ada).post(
        reverse("learning_page_new"),
        {
            "audience": "parents",
            "title": "Parking at the clinic",
            "summary": "Where to park.",
            "body": "Park in lot B. It is free.",
            "save": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == edit_url(slug="parking-at-the-clinic")
    assert audited("create", object_type="learningpage")
    text = as_user(gina).get(reverse("learning_index")).content.decode()
    assert "Parking at the clinic" in text


def test_a_page_needs_a_title_and_words(as_user, ada):
    response = as_user(ada).post(
        reverse("learning_page_new"), {"audience": "kids", "title": "", "body": "", "save": "1"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"title", "body"}
    assert not LearningPage.objects.exists()


def test_a_title_already_used_is_refused_by_name(as_user, ada):
    response = as_user(ada).post(
        reverse("learning_page_new"),
        {"audience": "parents", "title": "What is AMPS", "body": "Text.", "save": "1"},
    )
    assert "There is already a page with this title" in response.content.decode()


def test_raw_html_in_a_page_is_shown_as_text(as_user, ada, gina):
    as_user(ada).post(
        edit_url(),
        {"title": "T", "summary": "", "body": "<script>alert(1)</script> Hello", "save": "1"},
    )
    text = as_user(gina).get(page_url()).content.decode()
    assert "<script>alert(1)" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Hello" in text


def test_a_hidden_page_leaves_the_familys_list(as_user, ada, gina):
    as_user(ada).post(
        reverse("learning_page_visibility", args=["parents", "what-is-amps"]), {"hidden": "1"}
    )
    assert SHIPPED.title not in as_user(gina).get(reverse("learning_index")).content.decode()
    assert as_user(gina).get(page_url()).status_code == 404
    assert "Show" in as_user(ada).get(reverse("learning_admin")).content.decode()
    as_user(ada).post(
        reverse("learning_page_visibility", args=["parents", "what-is-amps"]), {"hidden": "0"}
    )
    assert as_user(gina).get(page_url()).status_code == 200
