from unittest import mock

from django.db import OperationalError


def test_it_answers_200_without_sign_in(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


def test_it_answers_503_when_the_database_is_down(client, db):
    with mock.patch("backto.core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_pages_name_their_icon_and_favicon_ico_leads_to_it(client, db):
    login = client.get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/backto/favicon.svg"' in login
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/backto/favicon.svg"
