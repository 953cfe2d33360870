"""The part of a child's record an audit event is about, in words a family understands: the page
a read showed (its name is the first word of a view event's detail, `access.page_read`), else
the kind of object the event names."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backto.audit.models import OBJECT_LABELS as AUDIT_OBJECT_LABELS
from backto.audit.models import Action, AuditEvent

PAGE_LABELS: dict[str, Promise] = {
    "patient_overview": _("Overview"),
    "patient_edit": _("Child's details"),
    "episode_open": _("Referral"),
    "access_log": _("Who opened the record"),
    "care_team": _("Care team"),
    "diary_today": _("Diary"),
    "diary_calendar": _("Diary"),
    "goal_list": _("Goals"),
    "goal_detail": _("Goals"),
    "goal_edit": _("Goals"),
    "win_list": _("Wins"),
    "progress": _("Progress"),
    "report_pdf": _("Report"),
    "school_plan": _("School plan"),
    "session_list": _("Session notes"),
    "session_detail": _("Session notes"),
    "care_plan": _("Care plan"),
    "discharge": _("Discharge"),
    "home_program": _("Home program"),
    "home_program_sheet": _("Home program"),
    "exercises_today": _("Home program"),
    "intake": _("Intake"),
    "episode_measures": _("Questionnaires"),
    "administration": _("Questionnaire"),
    "safety_alert": _("Safety alert"),
    "learning_suggestions": _("Learning pages"),
    "conversation": _("Messages"),
    "conversation_print": _("Messages"),
    "conversation_start": _("Messages"),
    "message_photo": _("Messages"),
    "appointments": _("Appointments"),
    # The JSON API's reads (docs/api.md), by the same parts of the record.
    "api_patient": _("Child's details"),
    "api_patient_episodes": _("Overview"),
    "api_episode": _("Overview"),
    "api_goals": _("Goals"),
    "api_sessions": _("Session notes"),
    "api_home_program": _("Home program"),
    "api_diary": _("Diary"),
    "api_questionnaires": _("Questionnaires"),
    "api_questionnaire": _("Questionnaire"),
    "api_messages": _("Messages"),
}


def record_part(event: AuditEvent) -> str:
    """ "Diary", "Session notes", "Report (family)": the part of the record an event is about."""
    if event.action == Action.VIEW and event.detail:
        page, *words = event.detail.split()
        label = PAGE_LABELS.get(page)
        if label is not None:
            kind = next((w.split("=", 1)[1] for w in words if w.startswith("kind=")), "")
            return f"{label} ({kind})" if kind else str(label)
    if event.object_type == "page" and event.object_id in PAGE_LABELS:  # a list's one event
        return str(PAGE_LABELS[event.object_id])
    return str(OBJECT_LABELS.get(event.object_type, event.object_label))


# The audit log's own words for the kinds of object it names, and the record's own kinds of object
# (which backto.audit.models names by the model's name), in the reader's language.
OBJECT_LABELS: dict[str, Promise] = {
    **AUDIT_OBJECT_LABELS,
    "appointment": _("Appointment"),
    "careplan": _("Care plan"),
    "conversation": _("Messages"),
    "desensitizationlog": _("Desensitization log"),
    "diaryentry": _("Diary"),
    "discharge": _("Discharge"),
    "exerciselog": _("Home program"),
    "followup": _("Follow-up"),
    "functionaltest": _("Functional test"),
    "goal": _("Goal"),
    "goalrating": _("Goal rating"),
    "goalstep": _("Goal step"),
    "homeprogramitem": _("Home program item"),
    "intake": _("Intake"),
    "message": _("Message"),
    "pageassignment": _("Suggested learning page"),
    "painmap": _("Body map"),
    "reminder": _("Reminder"),
    "safetyalert": _("Safety alert"),
    "schoolplan": _("School plan"),
    "sensoryexam": _("Sensory exam"),
    "session": _("Session"),
    "sessionaddendum": _("Session note addendum"),
    "therapysession": _("Session"),
    "win": _("Win"),
    "winreaction": _("Reaction to a win"),
    # FHIR's resources (docs/fhir.md), by the part of the record each one is.
    "Patient": _("Child's details"),
    "RelatedPerson": _("Family link"),
    "Practitioner": _("Care team"),
    "Observation": _("Results"),
    "Questionnaire": _("Questionnaire"),
    "QuestionnaireResponse": _("Questionnaire"),
    "Goal": _("Goals"),
    "CarePlan": _("Care plan"),
    "Encounter": _("Session notes"),
    "Appointment": _("Appointments"),
    "Communication": _("Messages"),
}

# What was done, in the reader's language (backto.audit.models.Action's labels).
ACTION_WORDS: dict[str, Promise] = {
    Action.VIEW: _("Viewed"),
    Action.CREATE: _("Created"),
    Action.UPDATE: _("Updated"),
    Action.DELETE: _("Deleted"),
    Action.EXPORT: _("Exported"),
    Action.LOGIN: _("Signed in"),
    Action.LOGIN_FAILED: _("Sign-in failed"),
    Action.LOGOUT: _("Signed out"),
    Action.PERMISSION_DENIED: _("Permission denied"),
}


def action_words(event: AuditEvent) -> str:
    return str(ACTION_WORDS.get(event.action, event.get_action_display()))
