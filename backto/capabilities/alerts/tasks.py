"""The safety-alert email, sent by the tasks worker to the child's care team.

The email carries no name and no answer: only that an alert is waiting and the link to it, which
opens after sign-in for the care team alone.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from backto.access.accounts.models import User


@task()
def send_safety_alert(alert_id: int) -> int:
    from backto.capabilities.alerts.models import AlertSource, SafetyAlert, team_to_tell

    alert = SafetyAlert.objects.select_related("patient").filter(pk=alert_id).first()
    if alert is None:
        return 0
    emails = set(team_to_tell(alert.episode_id).values_list("clinician__email", flat=True))
    if not emails:  # nobody on the team to tell: the clinic's coordinators must hear of it
        emails = set(
            User.objects.filter(
                clinic_id=alert.patient.clinic_id,
                is_active=True,
                staff_roles__role="coordinator",
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    if not emails:
        return 0
    link = settings.SITE_URL + reverse("safety_alert", args=[alert.pk])
    send_mail(
        subject=(
            "BackTo URGENT: an acute safety answer needs the care team now"
            if alert.urgent
            else "BackTo: a family's message needs the care team"
            if alert.source == AlertSource.MESSAGE
            else "BackTo: a safety answer needs the care team"
        ),
        message=render_to_string(
            "alerts/email/safety_alert.txt",
            {"link": link, "urgent": alert.urgent, "message": alert.source == AlertSource.MESSAGE},
        ),
        from_email=None,
        recipient_list=sorted(emails),
    )
    return len(emails)
