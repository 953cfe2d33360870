"""Background work for accounts, run by the tasks worker (`backto tasks_worker`)."""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from backto.access.accounts.models import Invitation


class _ResetEmailForm(PasswordResetForm):
    """Django's reset form, each email in the language of the account it goes to (whoever asked,
    in whatever browser)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        language = getattr(context.get("user"), "language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


@task()
def send_password_reset(email: str) -> None:
    """Email a password-reset link to the active account with this address, if there is one,
    through Django's own reset form and token. No name and nothing about a child: only the
    link, how long it works, and what to do if you did not ask."""
    form = _ResetEmailForm({"email": email})
    if not form.is_valid():
        return
    form.save(
        domain_override=urlsplit(settings.SITE_URL).netloc,
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.txt",
        extra_email_context={
            "site_url": settings.SITE_URL,
            "minutes": str(settings.PASSWORD_RESET_TIMEOUT // 60),
        },
    )


@task()
def send_email_changed_notice(old_email: str, language: str = "") -> None:
    """Tell the address an account just moved away from, in case it was not its owner (in the
    account's language)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        send_mail(
            subject=_("The email address of your BackTo account was changed"),
            message=render_to_string("accounts/email/email_changed.txt", {}),
            from_email=None,
            recipient_list=[old_email],
        )


@task()
def send_invitation(invitation_id: int) -> None:
    from backto.access.accounts.actions import invitation_issue_token

    with transaction.atomic():
        invitation = (
            Invitation.objects.pending()
            .select_related("clinic", "patient")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None:
            return
        token = invitation_issue_token(invitation=invitation)
    link = settings.SITE_URL + reverse("invitation_accept", args=[token])
    context = {"invitation": invitation, "link": link, "days": settings.INVITATION_DAYS}
    with translation.override(invitation.language):
        send_mail(
            subject=_("Your BackTo account at %(clinic)s") % {"clinic": invitation.clinic.name},
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )


TEST_EMAIL_SALT = "backto.clinic-test-email"
TEST_EMAIL_DAYS = 7  # how long the test email's link works


@task()
def send_test_email(user_id: int) -> None:
    from django.core import signing

    from backto.access.accounts.models import User

    user = User.objects.select_related("clinic").filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    token = signing.dumps({"user": user.pk, "clinic": user.clinic_id}, salt=TEST_EMAIL_SALT)
    link = settings.SITE_URL + reverse("clinic_email_confirm", args=[token])
    context = {"user": user, "clinic": user.clinic, "link": link, "days": TEST_EMAIL_DAYS}
    send_mail(
        subject=f"BackTo test email for {user.clinic.name}",
        message=render_to_string("accounts/email/test_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
