"""One-time links stay out of logs (docs/permissions.md): the console email backend prints
invitations and password resets without them and says where the link comes from; Django's own
log lines ("Not Found: /invite/<token>/") and gunicorn's access log redact them."""

import http.client
import io
import logging
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from gunicorn.config import Config

from backto.core.access_log import RedactingAccessLogger
from backto.core.mail import RedactingConsoleBackend
from backto.core.redact import RedactingFormatter, redact_secret_paths
from scripts.throwaway_postgres import free_port

PROJECT = Path(__file__).resolve().parents[2]
SECRET = "Zq9-secret-token_4Yw"
LINK_PATHS = re.compile(r"/(?:invite|accounts/reset|manage/clinic/email-works)/(\S+?)/")


def links_in(text: str) -> list[str]:
    return LINK_PATHS.findall(text)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("invitation_accept", [SECRET]),
        ("password_reset_confirm", ["MTIz", SECRET]),
        ("password_reset_confirm", ["MTIz", "set-password"]),
        ("clinic_email_confirm", [SECRET + ":1tZ:abc"]),
        ("calendar_ics", [SECRET]),
    ],
)
def test_every_one_time_link_is_redacted_in_a_path_a_url_or_a_next(name, args):
    path = reverse(name, args=args)
    for text in (f"GET {path} HTTP/1.1", f"http://b.example{path}", f"/login/?next={path}&x=1"):
        shown = redact_secret_paths(text)
        assert SECRET not in shown and "MTIz" not in shown and "[redacted]/" in shown
    assert redact_secret_paths(reverse("password_reset_complete")) == "/accounts/reset/done/"
    assert redact_secret_paths(reverse("calendar_feed_reset")) == "/calendar/reset/"


def test_the_console_email_shows_an_invitation_without_its_link(
    as_user, client, ada, settings, capsys
):
    settings.EMAIL_BACKEND = "backto.core.mail.RedactingConsoleBackend"
    as_user(ada).post(
        reverse("staff_list"),
        {"email": "new.ot@example.org", "display_name": "Nia OT", "roles": ["counselor"]},
    )
    printed = capsys.readouterr().out
    assert "To: new.ot@example.org" in printed and "invites you" in printed
    assert links_in(printed) == ["[redacted]"]
    assert "`backto clinic create` prints the new clinic\nadmin's link itself" in printed


def test_the_console_email_shows_a_password_reset_without_its_link(client, gina, settings, capsys):
    settings.EMAIL_BACKEND = "backto.core.mail.RedactingConsoleBackend"
    client.post(reverse("password_reset"), {"email": gina.email})
    printed = capsys.readouterr().out
    assert "To: gina@example.org" in printed
    assert links_in(printed) == ["[redacted]"]
    assert "the one-time link in this email is not written to the log" in printed


def test_an_email_without_a_link_is_printed_as_it_is(capsys):
    message = mail.EmailMultiAlternatives("Hello", "Plain words.", to=["a@example.org"])
    message.attach_alternative("<p>Plain words.</p>", "text/html")
    RedactingConsoleBackend().send_messages([message])
    printed = capsys.readouterr().out
    assert "Plain words." in printed and "not written to the log" not in printed
    linked = mail.EmailMultiAlternatives("Hi", "No link here.", to=["a@example.org"])
    linked.attach_alternative(f'<a href="http://b.example/invite/{SECRET}/">Set</a>', "text/html")
    RedactingConsoleBackend().send_messages([linked])
    printed = capsys.readouterr().out
    assert SECRET not in printed and "not written to the log" in printed
    assert linked.alternatives[0].content.count(SECRET) == 1  # the email itself is unchanged


def test_djangos_not_found_line_for_an_invitation_has_no_token(client, db):
    """Through the handler settings.LOGGING configures (its stream swapped for the test)."""
    (handler,) = [
        h for h in logging.getLogger().handlers if isinstance(h.formatter, RedactingFormatter)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        assert client.get(reverse("invitation_accept", args=[SECRET])).status_code == 404
    finally:
        handler.setStream(previous)
    assert "WARNING django.request Not Found: /invite/[redacted]/" in stream.getvalue()
    assert SECRET not in stream.getvalue()


def test_gunicorns_access_log_has_no_token_in_any_field(capfd):
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", '"%(r)s" %(U)s %(q)s "%(f)s" %({raw_uri}e)s %({referer}i)s')
    logger = RedactingAccessLogger(config)
    path = f"/accounts/reset/MTIz/{SECRET}/"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path + "?next=/invite/" + SECRET + "/",
        "PATH_INFO": path,
        "QUERY_STRING": f"next=/invite/{SECRET}/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"http://b.example/invite/{SECRET}/",
    }

    class Response:
        status = "302 Found"
        sent = 0
        headers = [("Location", "/accounts/reset/MTIz/set-password/")]

    class Request:
        headers = [("REFERER", f"http://b.example/invite/{SECRET}/")]

    logger.access(Response(), Request(), environ, __import__("datetime").timedelta(seconds=0))
    line = capfd.readouterr().out
    assert "/accounts/reset/[redacted]/" in line and SECRET not in line and "MTIz" not in line


@pytest.mark.slow
def test_make_runs_gunicorn_and_django_log_no_token(tmp_path):
    """gunicorn started with scripts/run's logger class: a request for an invitation and for a
    password reset (here answered with a server error: the database has no tables) leaves no
    token in the access log or in Django's error log."""
    run = (PROJECT / "scripts/run").read_text()
    assert "--logger-class backto.core.access_log.RedactingAccessLogger" in run
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BACKTO_", "DJANGO_"))}
    env |= {
        "BACKTO_SECRET_KEY": "x" * 50,
        "BACKTO_HTTPS": "0",
        "BACKTO_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(PROJECT),
    }
    django_log = (tmp_path / "django.log").open("w")
    server = subprocess.Popen(
        [
            str(PROJECT / ".venv/bin/gunicorn"),
            "backto.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(tmp_path / "access.log"),
            "--error-logfile",
            str(tmp_path / "error.log"),
            "--logger-class",
            "backto.core.access_log.RedactingAccessLogger",
        ],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=django_log,
    )
    try:
        for path in (f"/invite/{SECRET}/", f"/accounts/reset/MTIz/{SECRET}/"):
            for _ in range(600):  # up to a minute for the worker to start on a busy machine
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    connection.request("GET", path, headers={"Referer": f"http://x{path}"})
                    connection.getresponse().read()
                    break
                except ConnectionRefusedError:
                    time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=20)
        django_log.close()
    access = (tmp_path / "access.log").read_text()
    errors = (tmp_path / "django.log").read_text()
    assert access.count("[redacted]") == 4  # two request lines, two referrers
    assert "/invite/[redacted]/" in errors  # "Internal Server Error: /invite/…" and more
    for text in (access, errors, (tmp_path / "error.log").read_text()):
        assert SECRET not in text


def test_the_redacting_console_backend_counts_as_mail_that_is_not_delivered(settings):
    """So `backto clinic create` prints the admin's link itself under `make run`."""
    from backto.capabilities.clinicsetup.queries import mail_is_delivered

    settings.EMAIL_BACKEND = "backto.core.mail.RedactingConsoleBackend"
    assert not mail_is_delivered()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert mail_is_delivered()
