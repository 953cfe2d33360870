"""The demo's appointments: a week of therapy for each child in the program, a school meeting,
and last week's, which took place."""

from backto.access.patients.models import Discipline
from backto.capabilities.appointments.demo import add_demo_appointments
from backto.capabilities.appointments.models import Appointment
from tests.conftest import PINNED_AT, TODAY, start_program


def test_a_demo_week_for_each_child_in_the_program(clinic, cora, pat, maya, episode, clock):
    from backto.access.patients import actions as patients
    from tests.conftest import make_user

    ot = make_user(clinic, "ot", roles=("occupational_therapist",))
    patients.care_team_add(by=cora, episode=episode, clinician=ot, discipline=Discipline.OT)
    start_program(episode, pat)
    booked = add_demo_appointments(clinic=clinic, today=TODAY)
    assert booked == Appointment.objects.count() == 13  # three weeks of four, one school meeting
    kinds = set(Appointment.objects.values_list("kind", flat=True))
    assert kinds == {"pt", "ot", "counseling", "school"}
    assert Appointment.objects.filter(kind="ot", clinician=ot).count() == 3
    assert Appointment.objects.filter(status="attended").exists()  # last week's
    for appointment in Appointment.objects.all():
        ended = appointment.ends_at <= PINNED_AT
        assert appointment.status == ("attended" if ended else "booked")
    assert Appointment.objects.filter(status="booked").exists()  # next week's at least
