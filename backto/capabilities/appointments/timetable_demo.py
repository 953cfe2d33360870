"""A demo template week: the clinic's intensive (day-hospital) program, Monday to Friday, saved
through the action as the coordinator would. Not applied to any child (the demo's appointments
already fill their weeks): a coordinator tries applying it from a child's care plan. The demo
(`backto.demo`) calls `add_demo_timetable` once the staff exist."""

from datetime import time

from backto.access.accounts.models import Clinic, StaffRole
from backto.capabilities.appointments.models import TimetableTemplate
from backto.capabilities.appointments.timetable_actions import SlotData, timetable_save

NAME = "Intensive program week"
# (weekday 0 = Monday, start, minutes, kind, place)
DAYS = [
    (day, start, minutes, kind, place)
    for day in range(5)
    for start, minutes, kind, place in [
        (time(9, 0), 60, "pt", "PT gym"),
        (time(10, 30), 60, "ot", "OT room 3"),
        (time(13, 0), 50, "counseling", "Counseling room"),
        (time(14, 30), 60, "pt", "PT gym"),
    ]
] + [(2, time(15, 45), 30, "physician", "Clinic room 1")]


def add_demo_timetable(*, clinic: Clinic) -> TimetableTemplate | None:
    """The clinic's demo template week (None without a coordinator to write it); an existing
    one of that name is left as it is."""
    role = (
        StaffRole.objects.filter(user__clinic=clinic, user__is_active=True, role="coordinator")
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    if role is None:
        return None
    existing = TimetableTemplate.objects.filter(clinic=clinic, name=NAME).first()
    if existing is not None:
        return existing
    return timetable_save(
        by=role.user,
        clinic=clinic,
        name=NAME,
        slots=[SlotData(weekday=d, start=s, minutes=m, kind=k, place=p) for d, s, m, k, p in DAYS],
    )
