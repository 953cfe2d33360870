"""A request for a host BackTo does not serve is refused with the plain 400 page, never a 500:
it is refused before the sign-in middleware runs, so the page has no user to read."""

import pytest


@pytest.mark.django_db
def test_a_host_not_allowed_gets_the_400_page(client, settings):
    settings.ALLOWED_HOSTS = ["backto.example.org"]
    settings.DEBUG = False
    response = client.get("/accounts/login/", HTTP_HOST="elsewhere.example.net")
    assert response.status_code == 400
    assert b"<html" in response.content
