"""Background work for accounts, run by the tasks worker (`backto db_worker`)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from backto.accounts.models import Invitation


@task()
def send_invitation(invitation_id: int) -> None:
    from backto.accounts.actions import invitation_issue_token

    with transaction.atomic():
        invitation = (
            Invitation.objects.pending().select_related("clinic").filter(pk=invitation_id).first()
        )
        if invitation is None:
            return
        token = invitation_issue_token(invitation=invitation)
    link = settings.SITE_URL + reverse("invitation_accept", args=[token])
    context = {"invitation": invitation, "link": link, "days": settings.INVITATION_DAYS}
    send_mail(
        subject=f"Your BackTo account at {invitation.clinic.name}",
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
