"""The service worker and the offline page: what the worker keeps, and what it never keeps."""

import json
import re

import pytest

from backto.capabilities.familyapp import views
from tests.conftest import spanish


def worker_config(content: bytes) -> dict:
    text = content.decode()
    match = re.search(r"^const CONFIG = (\{.*?^\});$", text, re.S | re.M)
    assert match, "the worker's settings are one JSON object"
    return json.loads(match.group(1))


def test_it_is_served_from_the_root_for_the_whole_site(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"


def test_it_keeps_the_static_files_and_the_offline_page(client, db):
    config = worker_config(client.get("/sw.js").content)
    for needed in (
        "/static/backto/backto.css",
        "/static/backto/signout.js",
        "/static/familyapp/outbox.js",
        "/static/familyapp/app.js",
        "/static/familyapp/icon-192.png",
        "/offline/",
    ):
        assert needed in config["precache"]
    assert config["offlinePage"] == "/offline/"
    assert config["signIn"] == "/accounts/login/"
    assert re.fullmatch(r"[0-9a-f]{12}-en", config["version"])


def test_a_change_of_language_installs_a_new_worker(as_user, gina):
    """The offline page and the kept pages are fetched again in the language just chosen."""
    english = worker_config(as_user(gina).get("/sw.js").content)["version"]
    spanish(gina)
    assert worker_config(as_user(gina).get("/sw.js").content)["version"] == english[:-2] + "es"


def test_its_precache_names_only_files_that_exist(client, db):
    config = worker_config(client.get("/sw.js").content)
    for url in config["precache"]:
        response = client.get(url)
        assert response.status_code == 200, url
        response.close()


@pytest.mark.parametrize(
    "path",
    [
        "/family/",
        "/patients/12/diary/",
        "/episodes/3/exercises/",
        "/learn/",
        "/learn/explainer/",
        "/learn/kids/why-it-hurts/",
        "/learn/parents/sleep/",
    ],
)
def test_it_keeps_the_family_pages_the_issue_names(client, db, path):
    patterns = worker_config(client.get("/sw.js").content)["pages"]
    assert any(re.search(p, path) for p in patterns)


@pytest.mark.parametrize(
    "path",
    [
        "/clinic/",
        "/patients/12/",  # the staff's overview
        "/patients/12/diary/calendar/",
        "/patients/12/diary/reminder/",
        "/audit/",
        "/patients/12/audit/",
        "/manage/learning/",
        "/accounts/login/",
        "/account/",
        "/api/v1/patients/",
        "/episodes/3/home-program/",
        "/episodes/3/progress/",
        "/exercises/4/media",
        "/offline/",
    ],
)
def test_it_keeps_no_other_page(client, db, path):
    patterns = worker_config(client.get("/sw.js").content)["pages"]
    assert not any(re.search(p, path) for p in patterns)


def test_its_version_follows_the_files_it_keeps(client, db, settings, tmp_path):
    before = views.worker_version()
    views._worker_version.cache_clear()
    assert views.worker_version() == before  # the same files: the same version
    changed = views._worker_version((*views.precache_paths(), "backto/favicon.svg"))
    assert changed != before
    views._worker_version.cache_clear()


def test_it_never_sends_a_post_to_a_cache(client, db):
    source = client.get("/sw.js").content.decode()
    assert 'if (request.method !== "GET") { return; }' in source


def test_the_offline_page_is_kind_and_names_nobody(as_user, gina, maya):
    response = as_user(gina).get("/offline/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "No connection right now" in page
    assert "That is all right." in page
    for private in (gina.name, maya.first_name, gina.username, "Sign out"):
        assert private not in page
    # It must not look like a signed-out page: that would forget the drafts and the outbox.
    assert "data-signed-out" not in page


def test_the_offline_page_needs_no_sign_in(client, db):
    assert client.get("/offline/").status_code == 200


def test_family_pages_load_the_worker_and_the_outbox(as_user, gina):
    page = as_user(gina).get("/family/").content.decode()
    assert 'src="/static/familyapp/app.js" data-worker="/sw.js"' in page
    assert 'src="/static/familyapp/outbox.js"' in page
    assert "data-outbox-banner" in page


def test_staff_pages_install_no_worker(as_user, pat):
    page = as_user(pat).get("/clinic/").content.decode()
    assert 'src="/static/familyapp/app.js"' in page  # to remove a worker a family left here
    assert "data-worker" not in page
    assert "outbox.js" not in page
