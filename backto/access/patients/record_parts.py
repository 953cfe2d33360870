"""The part of a child's record an audit event is about, in words a family understands: the page
a read showed (its name is the first word of a view event's detail, `access.page_read`), else
the kind of object the event names."""

from backto.audit.models import Action, AuditEvent

PAGE_LABELS = {
    "patient_overview": "Overview",
    "patient_edit": "Child's details",
    "episode_open": "Referral",
    "access_log": "Who opened the record",
    "care_team": "Care team",
    "diary_today": "Diary",
    "diary_calendar": "Diary",
    "goal_list": "Goals",
    "goal_detail": "Goals",
    "goal_edit": "Goals",
    "win_list": "Wins",
    "progress": "Progress",
    "report_pdf": "Report",
    "school_plan": "School plan",
    "session_list": "Session notes",
    "session_detail": "Session notes",
    "care_plan": "Care plan",
    "discharge": "Discharge",
    "home_program": "Home program",
    "home_program_sheet": "Home program",
    "exercises_today": "Home program",
    "intake": "Intake",
    "episode_measures": "Questionnaires",
    "administration": "Questionnaire",
    "safety_alert": "Safety alert",
    "learning_suggestions": "Learning pages",
    "conversation": "Messages",
    "conversation_print": "Messages",
    "conversation_start": "Messages",
    "message_photo": "Messages",
    "appointments": "Appointments",
}


def record_part(event: AuditEvent) -> str:
    """ "Diary", "Session notes", "Report (family)": the part of the record an event is about."""
    if event.action == Action.VIEW and event.detail:
        page, *words = event.detail.split()
        label = PAGE_LABELS.get(page)
        if label is not None:
            kind = next((w.split("=", 1)[1] for w in words if w.startswith("kind=")), "")
            return f"{label} ({kind})" if kind else label
    return event.object_label
