"""Spanish for families on the account pages: the sign-in and reset pages follow the browser's
language, a signed-in person reads BackTo in the language of their account (which they choose on
My account), and emails come in the language of whoever they are for."""

import re

from django.core import mail
from django.urls import reverse
from django.utils import translation

from backto.access.accounts import tasks
from backto.access.accounts.models import Invitation, User
from backto.capabilities.alerts.help import HelpMessage
from tests.accounts.test_invitations import accept, invite_link
from tests.conftest import spanish

SPANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}


def test_the_sign_in_page_follows_a_spanish_browser(client, db):
    page = client.get(reverse("login"), **SPANISH_BROWSER).content.decode()
    assert '<html lang="es">' in page
    assert "Iniciar sesión en BackTo" in page
    assert "Nombre de usuario o correo electrónico" in page
    assert "¿Olvidó su contraseña?" in page
    assert "Saltar al contenido principal" in page
    assert "Sign in to BackTo" not in page


def test_the_sign_in_page_stays_english_for_an_english_browser(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert '<html lang="en">' in page and "Sign in to BackTo" in page


def test_a_wrong_password_is_said_in_spanish(client, gina):
    page = client.post(
        reverse("login"), {"username": "gina", "password": "not it"}, **SPANISH_BROWSER
    ).content.decode()
    assert "no coinciden con ninguna cuenta activa" in page


def test_the_reset_pages_follow_a_spanish_browser(client, db):
    form = client.get(reverse("password_reset"), **SPANISH_BROWSER).content.decode()
    assert "¿Olvidó su contraseña?" in form and "Enviarme un enlace" in form
    assert "Su correo electrónico" in form
    done = client.get(reverse("password_reset_done"), **SPANISH_BROWSER).content.decode()
    assert "Revise su correo electrónico" in done and "minutos" in done
    complete = client.get(reverse("password_reset_complete"), **SPANISH_BROWSER).content.decode()
    assert "Su contraseña nueva está lista" in complete
    bad = reverse("password_reset_confirm", args=["MQ", "set-password"])
    broken = client.get(bad, **SPANISH_BROWSER).content.decode()
    assert "Este enlace no funciona" in broken


def test_the_reset_email_comes_in_the_account_s_language(client, gina):
    spanish(gina)
    client.post(reverse("password_reset"), {"email": "gina@example.org"}, HTTP_ACCEPT_LANGUAGE="en")
    email = mail.outbox[-1]
    assert email.subject == "Cambie su contraseña de BackTo"
    assert "Alguien pidió una contraseña nueva" in email.body
    assert re.search(r"https?://\S+/accounts/reset/\S+/", email.body)


def test_the_reset_email_stays_english_for_an_english_account(client, gina):
    client.post(reverse("password_reset"), {"email": "gina@example.org"}, **SPANISH_BROWSER)
    assert mail.outbox[-1].subject == "Reset your BackTo password"


def test_a_spanish_guardian_reads_my_account_in_spanish(as_user, gina):
    page = as_user(spanish(gina)).get(reverse("my_account")).content.decode()
    assert '<html lang="es">' in page
    for words in ("Mi cuenta", "Su nombre e idioma", "Idioma", "Guardar", "Cerrar sesión"):
        assert words in page, words
    assert "Cambiar mi contraseña" in page and "Inicio de sesión en dos pasos" in page
    assert "Change my password" not in page


def test_the_account_page_changes_the_language_and_the_next_page_follows(as_user, gina):
    client = as_user(gina)
    assert "My account" in client.get(reverse("my_account")).content.decode()
    response = client.post(
        reverse("my_account_details"),
        {"details-display_name": "Gina", "details-language": "es"},
        follow=True,
    )
    gina.refresh_from_db()
    assert gina.language == "es"
    page = response.content.decode()
    assert "Sus datos están guardados." in page and "Mi cuenta" in page
    home = client.get(reverse("family_home")).content.decode()
    assert '<html lang="es">' in home and "Hola, Gina" in home
    client.post(
        reverse("my_account_details"), {"details-display_name": "Gina", "details-language": "en"}
    )
    assert "Hello, Gina" in client.get(reverse("family_home")).content.decode()


def test_a_spanish_account_reads_spanish_whatever_the_browser(as_user, gina):
    page = as_user(spanish(gina)).get(reverse("my_account"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Mi cuenta" in page.content.decode()


def invite_guardian(as_user, cora, maya):
    return as_user(cora).post(
        reverse("family_list"),
        {
            "email": "rosa@example.org",
            "display_name": "Rosa",
            "kind": "guardian",
            "patient": maya.pk,
            "relationship": "mother",
        },
    )


def test_a_spanish_family_s_invitation_email_is_in_spanish(as_user, client, cora, maya):
    maya.family_language = "es"
    maya.save(update_fields=["family_language"])
    assert invite_guardian(as_user, cora, maya).status_code == 302
    email = mail.outbox[-1]
    assert email.subject == "Su cuenta de BackTo en Lakeside Pain Program"
    assert email.body.startswith("Hola, Rosa:")
    assert "le invita a BackTo" in email.body and "Elija su contraseña aquí" in email.body
    client.logout()
    accept(client, invite_link(), username="rosa")
    assert User.objects.get(username="rosa").language == "es"


def test_an_english_family_s_invitation_stays_english(as_user, cora, maya):
    invite_guardian(as_user, cora, maya)
    assert mail.outbox[-1].subject == "Your BackTo account at Lakeside Pain Program"
    assert mail.outbox[-1].body.startswith("Hello Rosa,")


def test_a_staff_invitation_follows_the_clinic_s_language(ada, clinic):
    clinic.language = "es"
    clinic.save(update_fields=["language"])
    invitation = Invitation(clinic=clinic, email="x@example.org", kind="staff")
    assert invitation.language == "es"


def test_the_invitation_page_speaks_the_family_s_language_like_its_email(
    as_user, client, cora, maya
):
    """The page the link opens matches the email that brought the person there: the family's
    language as the care team set it, whatever the phone's own language."""
    maya.family_language = "es"
    maya.save(update_fields=["family_language"])
    invite_guardian(as_user, cora, maya)
    client.logout()
    page = client.get(invite_link(), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="es"' in page
    assert "Prepare su cuenta de BackTo" in page and "Crear mi cuenta" in page
    assert "Podrá seguir y apoyar el programa de su hijo o hija." in page


def test_an_english_family_s_invitation_page_is_english_on_a_spanish_phone(
    as_user, client, cora, maya
):
    invite_guardian(as_user, cora, maya)
    client.logout()
    page = client.get(invite_link(), **SPANISH_BROWSER).content.decode()
    assert '<html lang="en"' in page and "Create my account" in page


def test_the_email_changed_notice_comes_in_the_account_s_language(gina):
    tasks.send_email_changed_notice.call("old@example.org", "es")
    assert mail.outbox[-1].subject == "El correo electrónico de su cuenta de BackTo cambió"
    assert mail.outbox[-1].body.startswith("Hola:")


def test_the_admin_writes_the_clinic_s_family_texts_in_spanish(as_user, ada, clinic):
    settings_page = reverse("clinic_settings")
    page = as_user(ada).get(settings_page).content.decode()
    assert 'name="when_to_call_es"' in page and 'name="help_message_es"' in page
    response = as_user(ada).post(
        settings_page,
        {
            "name": "Lakeside Pain Program",
            "help_message": "Call 988, then the clinic.",
            "help_message_es": "Llame al 988 y después a la clínica.",
            "when_to_call_es": "  Llame si el dolor es nuevo.  ",
            "hours_es": "",
            "time_zone": "America/New_York",
            "paper_size": "letter",
            "language": "en",
        },
    )
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.translations == {
        "es": {
            "help_message": "Llame al 988 y después a la clínica.",
            "when_to_call": "Llame si el dolor es nuevo.",
        }
    }
    assert str(clinic.text_for_reader("help_message", "es")).startswith("Llame al 988")
    again = as_user(ada).get(settings_page).content.decode()
    assert "Llame si el dolor es nuevo." in again


def test_the_help_message_follows_the_reader_s_language(clinic):
    clinic.translations = {"es": {"help_message": "Llame al 988 ahora."}}
    clinic.save(update_fields=["translations"])
    with translation.override("es"):
        assert str(HelpMessage(clinic=clinic)) == "Llame al 988 ahora."
    with translation.override("en"):
        assert str(HelpMessage(clinic=clinic)) == clinic.help_message


def test_a_changed_help_message_never_reaches_a_spanish_family_in_english_only(clinic):
    """After a safety answer a family must understand what to do: where the clinic changed its
    English words and wrote no Spanish, BackTo's own Spanish (988, 911) comes first."""
    clinic.help_message = "Call 988 or our nurse line at 555-0100, then the clinic."
    clinic.save(update_fields=["help_message"])
    text = clinic.text_for_reader("help_message", "es")
    assert text.lang == "en" and text.text == clinic.help_message
    assert "988" in text.ours and "911" in text.ours and text.ours.startswith("Si usted")
    assert clinic.text_for_reader("help_message", "en").ours == ""
