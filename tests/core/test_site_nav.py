"""The site's navigation is drawn once per process for each kind and roles, page and language
(base.html keeps it in the cache): what one person's page drew must never show on another's."""

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from backto.access.accounts.models import User
from tests.conftest import spanish


def nav_links(client: Client, path: str) -> list[tuple[str, bool]]:
    page = client.get(path).content.decode()
    nav = page[page.index('<nav class="site-nav"') : page.index("</nav>")]
    return [
        (re.sub(r"<[^>]+>", "", words).strip(), 'aria-current="page"' in attrs)
        for attrs, words in re.findall(r"<li><a href=\"[^\"]+\"([^>]*)>(.*?)</a></li>", nav)
    ]


@pytest.fixture(autouse=True)
def empty_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_each_role_sees_its_own_links_whoever_drew_the_page_first(
    as_user: Any, pat: User, ada: User
) -> None:
    first_pat = nav_links(as_user(pat), "/clinic/")
    admin = nav_links(as_user(ada), "/clinic/")
    again_pat = nav_links(as_user(pat), "/clinic/")
    assert first_pat == again_pat
    assert ("Patients", True) in first_pat
    assert ("Staff", False) in admin and ("Audit log", False) in admin
    assert not any(words in ("Staff", "Audit log") for words, _ in first_pat)


@pytest.mark.django_db
def test_the_current_page_and_the_language_are_their_own(
    as_user: Any, gina: User, otto: User
) -> None:
    home = nav_links(as_user(gina), "/family/")
    assert ("Home", True) in home
    reminders = nav_links(as_user(gina), "/reminders/")
    assert ("Reminders", True) in reminders and ("Home", False) in reminders
    spanish(otto)
    words = [w for w, _ in nav_links(as_user(otto), "/family/")]
    assert "Home" not in words and words  # the same page and roles, in Spanish
    assert nav_links(as_user(gina), "/family/") == home


@pytest.mark.django_db
def test_a_teen_reads_my_week(as_user: Any, gina: User, maya_teen: User) -> None:
    assert ("Week", False) in nav_links(as_user(gina), "/family/")
    assert ("My week", False) in nav_links(as_user(maya_teen), "/family/")
