"""Permissions as code: what each role may do, in one table that docs/permissions.md mirrors.

A permission says what kind of thing a person may do. Whose records they may do it to is the
separate question of scope (care team, clinic, family), answered in backto.access.accounts.permissions.
"""

from dataclasses import dataclass
from enum import StrEnum


class Permission(StrEnum):
    PATIENT_VIEW = "patient_view"
    PATIENT_REGISTER = "patient_register"
    PATIENT_EDIT = "patient_edit"
    EPISODE_OPEN = "episode_open"
    EPISODE_TRANSITION = "episode_transition"
    CARE_TEAM_MANAGE = "care_team_manage"
    ACCESS_LOG_VIEW = "access_log_view"
    CASELOAD_VIEW = "caseload_view"
    CASELOAD_VIEW_CLINIC = "caseload_view_clinic"
    STAFF_MANAGE = "staff_manage"
    FAMILY_MANAGE = "family_manage"
    AUDIT_VIEW = "audit_view"
    CLINIC_SETTINGS = "clinic_settings"
    GOAL_EDIT = "goal_edit"
    GOAL_RATE = "goal_rate"
    WIN_ADD = "win_add"
    WIN_REACT = "win_react"
    DIARY_WRITE = "diary_write"
    DIARY_SETTINGS = "diary_settings"
    DIARY_KEEP_PRIVATE = "diary_keep_private"
    TEEN_PRIVATE_VIEW = "teen_private_view"
    DIARY_SAFETY_VIEW = "diary_safety_view"
    INTAKE_EDIT = "intake_edit"
    INTAKE_FAMILY = "intake_family"
    HOME_PROGRAM_EDIT = "home_program_edit"
    EXERCISE_TICK = "exercise_tick"
    SESSION_VIEW = "session_view"
    SESSION_WRITE = "session_write"
    CARE_PLAN_EDIT = "care_plan_edit"
    MEASURE_VIEW = "measure_view"
    MEASURE_ANSWERS_VIEW = "measure_answers_view"
    MEASURE_ANSWER = "measure_answer"
    MEASURE_ENTER = "measure_enter"
    ALERT_ACKNOWLEDGE = "alert_acknowledge"
    TEEN_RAISED_ALERTS_VIEW = "teen_raised_alerts_view"
    INSTRUMENT_MANAGE = "instrument_manage"
    REPORT_EXPORT = "report_export"
    REPORT_FAMILY_PRINT = "report_family_print"
    SCHOOL_PLAN_EDIT = "school_plan_edit"
    SCHOOL_PLAN_APPROVE = "school_plan_approve"
    MEDICINE_LIST_EDIT = "medicine_list_edit"
    MEDICINE_LIST_CONFIRM = "medicine_list_confirm"
    MEDICINE_NAMES_EDIT = "medicine_names_edit"
    PAIN_VIEW = "pain_view"
    PAIN_VIEW_WHEN_SHARED = "pain_view_when_shared"
    PROGRESS_CLINICAL_VIEW = "progress_clinical_view"
    OUTCOMES_VIEW = "outcomes_view"
    LEARNING_EDIT = "learning_edit"
    LEARNING_SUGGEST = "learning_suggest"
    LEARNING_MARK_READ = "learning_mark_read"
    EXAM_VIEW = "exam_view"
    EXAM_RECORD = "exam_record"
    MESSAGE_VIEW = "message_view"
    MESSAGE_SEND = "message_send"
    MESSAGE_TRIAGE = "message_triage"
    CANNED_REPLIES_EDIT = "canned_replies_edit"
    APPOINTMENT_VIEW = "appointment_view"
    APPOINTMENT_EDIT = "appointment_edit"
    TIMETABLE_MANAGE = "timetable_manage"
    API_TOKENS = "api_tokens"
    BULK_EXPORT = "bulk_export"
    RESEARCH_EXPORT = "research_export"


PERMISSION_DESCRIPTIONS: dict[Permission, str] = {
    Permission.PATIENT_VIEW: "Open a child's record.",
    Permission.PATIENT_REGISTER: "Add a new child to the clinic.",
    Permission.PATIENT_EDIT: "Change a child's details (names, school, languages).",
    Permission.EPISODE_OPEN: "Record a referral, opening an episode of care.",
    Permission.EPISODE_TRANSITION: "Move an episode of care through its stages.",
    Permission.CARE_TEAM_MANAGE: "Add or remove clinicians on a care team and choose its lead.",
    Permission.ACCESS_LOG_VIEW: "See who has opened a child's record.",
    Permission.CASELOAD_VIEW: "Open the care team's home page: the caseload of the children on "
    "one's care teams, with their flags.",
    Permission.CASELOAD_VIEW_CLINIC: "See every child in the clinic, not only one's care teams.",
    Permission.STAFF_MANAGE: "Invite staff, change their roles, deactivate accounts.",
    Permission.FAMILY_MANAGE: "Invite guardians and teens and link them to children.",
    Permission.AUDIT_VIEW: "Browse the clinic's audit log.",
    Permission.CLINIC_SETTINGS: "Change the clinic's name, its help message and what families may do.",
    Permission.GOAL_EDIT: "Write goals with the family: levels, weight, steps, status.",
    Permission.GOAL_RATE: "Rate how far a goal has come (families only where the clinic allows).",
    Permission.WIN_ADD: "Add a small win to a child's wins log.",
    Permission.WIN_REACT: "Cheer a win or leave a short note on it.",
    Permission.DIARY_WRITE: "Write the daily diary (a teen their own; a guardian the parent's, and "
    "the child's for a child without an account), and set one's own reminders.",
    Permission.DIARY_SETTINGS: "Turn the diary's pain question on or off for a child.",
    Permission.DIARY_KEEP_PRIVATE: "Keep some of one's own diary answers (mood, what one did, "
    "one's win) from one's guardians, for the care team only.",
    Permission.TEEN_PRIVATE_VIEW: "Read the answers a teen keeps from their guardians (mood, what "
    "they did, their win, and a safety alert they raised): only on the child's care team, never "
    "by a clinic-wide reach alone.",
    Permission.DIARY_SAFETY_VIEW: "See which diary entries gave a safety answer (a marker on the "
    "calendar; on an answer a teen keeps private, only with teen_private_view).",
    Permission.INTAKE_EDIT: "Record and confirm the intake: history, screening, red flags, "
    "Budapest and ACR data.",
    Permission.INTAKE_FAMILY: "Answer the history and screening questions from home before the "
    "first visit.",
    Permission.HOME_PROGRAM_EDIT: "Keep the clinic's exercise library and set a child's home "
    "program: exercises, dose and progression.",
    Permission.EXERCISE_TICK: "Tick off the home program's exercises, day by day.",
    Permission.SESSION_VIEW: "Read therapy session notes.",
    Permission.CARE_PLAN_EDIT: "Draft, change and activate the care plan across disciplines.",
    Permission.SESSION_WRITE: "Record therapy sessions and write, sign and add to their notes "
    "(signing only for one's own discipline).",
    Permission.MEASURE_VIEW: "See questionnaire results: scores, bands, change from baseline and "
    "reliable change.",
    Permission.MEASURE_ANSWERS_VIEW: "See a completed questionnaire's answers item by item, under "
    "its score.",
    Permission.MEASURE_ANSWER: "Answer the questionnaires the program asks of the family (a teen "
    "their own; a guardian the parent's, and the child's for a child without an account).",
    Permission.MEASURE_ENTER: "Enter a questionnaire from a paper form on the family's behalf, and "
    "answer clinician-rated ones.",
    Permission.ALERT_ACKNOWLEDGE: "See safety alerts and acknowledge them with a note of what was "
    "done.",
    Permission.TEEN_RAISED_ALERTS_VIEW: "Know of the safety alerts a teen's own answers raised (the "
    "access log lists what was done with them): not guardians, who do not read the teen's answers.",
    Permission.INSTRUMENT_MANAGE: "Choose the clinic's questionnaires and install licensed "
    "instrument packs.",
    Permission.REPORT_EXPORT: "Print a child's reports as PDF (progress, physician letter, "
    "school letter, discharge summary).",
    Permission.REPORT_FAMILY_PRINT: "Print one's own child's family progress report as PDF.",
    Permission.SCHOOL_PLAN_EDIT: "Write the school plan: what the school letter says (attendance, "
    "what helps at school, whether it names the goals).",
    Permission.SCHOOL_PLAN_APPROVE: "Read the school plan and agree that the clinic may send it "
    "to the school.",
    Permission.MEDICINE_LIST_EDIT: "Keep a child's medicine list: add a medicine (names and words "
    "only, never a dose), change it, mark it stopped. A change waits for a physician's "
    "confirmation.",
    Permission.MEDICINE_LIST_CONFIRM: "Confirm a child's medicine list as shown, as the physician "
    "of the care team.",
    Permission.MEDICINE_NAMES_EDIT: "Keep the clinic's short list of medicine names offered when a "
    "medicine is added (names only).",
    Permission.PAIN_VIEW: "See the child's pain ratings (diary calendar, progress page).",
    Permission.PAIN_VIEW_WHEN_SHARED: "See the child's pain ratings where the care team shows "
    "them to the family (the diary's setting), and always the pain one rated oneself.",
    Permission.PROGRESS_CLINICAL_VIEW: "See the progress page's clinical part: questionnaire "
    "results over time, the goals' GAS T-score and the program dose.",
    Permission.OUTCOMES_VIEW: "See the program's outcomes for a period and export the "
    "de-identified per-episode rows.",
    Permission.LEARNING_EDIT: "Change the clinic's learning pages, add its own (Markdown) and "
    "hide pages it does not use.",
    Permission.LEARNING_SUGGEST: "Suggest learning pages to a child's family.",
    Permission.LEARNING_MARK_READ: "Say that a suggested learning page has been read.",
    Permission.EXAM_VIEW: "See the clinical exam's results over time: functional tests (walk, "
    "sit-to-stand, timed up and go, single-leg stance, grip), the body maps of where it hurts, "
    "and the sensory, autonomic and motor exam (allodynia area, signs).",
    Permission.EXAM_RECORD: "Record the clinical exam: functional tests, a body map (the "
    "clinician's own, or the family's from paper) and the sensory, autonomic and motor exam, as "
    "the clinician who examines (physical and occupational therapists, physicians).",
    Permission.MESSAGE_VIEW: "Read a child's conversations with the care team (a teen's own "
    "conversation only by the teen and the child's care team, never by guardians).",
    Permission.MESSAGE_SEND: "Write in a child's conversations: a question or a photo to the care "
    "team, or the care team's reply; withdraw one's own message.",
    Permission.MESSAGE_TRIAGE: "Assign a family's message to a team member and mark it done.",
    Permission.CANNED_REPLIES_EDIT: "Write the clinic's canned replies to common questions, and its "
    "expected reply time shown to families.",
    Permission.APPOINTMENT_VIEW: "See a child's appointments and the program's week, and keep "
    "one's own calendar feed (.ics).",
    Permission.APPOINTMENT_EDIT: "Book, move and cancel a child's appointments and record whether "
    "they took place.",
    Permission.TIMETABLE_MANAGE: "Write the clinic's template weeks for intensive programs and "
    "apply one to a child's program.",
    Permission.API_TOKENS: "Make personal access tokens for the JSON API and FHIR (docs/api.md). "
    "A token acts as its maker, never reaching more than they do.",
    Permission.BULK_EXPORT: "Export every record of the clinic as FHIR (Bulk Data $export), "
    "identified or de-identified.",
    Permission.RESEARCH_EXPORT: "Export a cohort's item-level answers, diaries and exam findings "
    "for research: study ids, shifted dates and the small-cell rules (docs/research-export.md).",
}


class Scope(StrEnum):
    """Whose records a role reaches."""

    CARE_TEAM = "care_team"  # children on whose care team the person is
    CLINIC = "clinic"  # every child of the person's clinic
    FAMILY = "family"  # the guardian's own children
    SELF = "self"  # the teen's own record


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    description: str
    scope: Scope
    permissions: frozenset[Permission]
    discipline: str = ""


P = Permission
_CLINICIAN = frozenset(
    {
        P.PATIENT_VIEW,
        P.PATIENT_EDIT,
        P.EPISODE_OPEN,
        P.EPISODE_TRANSITION,
        P.CARE_TEAM_MANAGE,
        P.ACCESS_LOG_VIEW,
        P.CASELOAD_VIEW,
        P.GOAL_EDIT,
        P.GOAL_RATE,
        P.WIN_ADD,
        P.WIN_REACT,
        P.DIARY_SETTINGS,
        P.TEEN_PRIVATE_VIEW,
        P.DIARY_SAFETY_VIEW,
        P.INTAKE_EDIT,
        P.HOME_PROGRAM_EDIT,
        P.SESSION_VIEW,
        P.SESSION_WRITE,
        P.CARE_PLAN_EDIT,
        P.MEASURE_VIEW,
        P.MEASURE_ANSWERS_VIEW,
        P.MEASURE_ENTER,
        P.ALERT_ACKNOWLEDGE,
        P.TEEN_RAISED_ALERTS_VIEW,
        P.REPORT_EXPORT,
        P.SCHOOL_PLAN_EDIT,
        P.MEDICINE_LIST_EDIT,
        P.PAIN_VIEW,
        P.PROGRESS_CLINICAL_VIEW,
        P.LEARNING_SUGGEST,
        P.EXAM_VIEW,
        P.MESSAGE_VIEW,
        P.MESSAGE_SEND,
        P.MESSAGE_TRIAGE,
        P.APPOINTMENT_VIEW,
        P.APPOINTMENT_EDIT,
        P.API_TOKENS,
    }
)
# Those who examine the child record the exam; the others on the care team read it.
_EXAMINER = _CLINICIAN | {P.EXAM_RECORD}

STAFF_ROLES: dict[str, Role] = {
    role.key: role
    for role in [
        Role(
            "physical_therapist",
            "Physical therapist",
            "Leads movement and exercise: intake exam, goals, sessions, home program.",
            Scope.CARE_TEAM,
            _EXAMINER,
            discipline="pt",
        ),
        Role(
            "occupational_therapist",
            "Occupational therapist",
            "Leads daily-life function: self-care, school tasks, desensitization, routines.",
            Scope.CARE_TEAM,
            _EXAMINER,
            discipline="ot",
        ),
        Role(
            "counselor",
            "Counselor",
            "Leads coping skills, sleep, school return and family support.",
            Scope.CARE_TEAM,
            _CLINICIAN,
            discipline="counseling",
        ),
        Role(
            "physician",
            "Physician",
            "Reviews screening and red flags, writes referral letters, confirms or rules out "
            "a diagnosis outside BackTo.",
            Scope.CARE_TEAM,
            _EXAMINER | {P.MEDICINE_LIST_CONFIRM},
            discipline="medicine",
        ),
        Role(
            "coordinator",
            "Program coordinator",
            "Runs the caseload across the team: referrals, care teams, families, outcomes.",
            Scope.CLINIC,
            _CLINICIAN
            | {
                P.PATIENT_REGISTER,
                P.CASELOAD_VIEW_CLINIC,
                P.FAMILY_MANAGE,
                P.OUTCOMES_VIEW,
                P.LEARNING_EDIT,
                P.CANNED_REPLIES_EDIT,
                P.MEDICINE_NAMES_EDIT,
                P.TIMETABLE_MANAGE,
                P.BULK_EXPORT,
                P.RESEARCH_EXPORT,
            },
            discipline="coordination",
        ),
        Role(
            "clinic_admin",
            "Clinic admin",
            "Manages staff accounts, families' access and the audit log; not a clinical role.",
            Scope.CLINIC,
            frozenset(
                {
                    P.PATIENT_VIEW,
                    P.PATIENT_REGISTER,
                    P.ACCESS_LOG_VIEW,
                    P.CASELOAD_VIEW,
                    P.CASELOAD_VIEW_CLINIC,
                    P.STAFF_MANAGE,
                    P.FAMILY_MANAGE,
                    P.AUDIT_VIEW,
                    P.CLINIC_SETTINGS,
                    P.INSTRUMENT_MANAGE,
                    P.LEARNING_EDIT,
                    P.DIARY_SAFETY_VIEW,
                    P.TEEN_RAISED_ALERTS_VIEW,
                    P.PAIN_VIEW,
                    P.PROGRESS_CLINICAL_VIEW,
                    P.CANNED_REPLIES_EDIT,
                    P.MEDICINE_NAMES_EDIT,
                    P.APPOINTMENT_VIEW,
                    P.API_TOKENS,
                    P.BULK_EXPORT,
                }
            ),
        ),
    ]
}

GUARDIAN = Role(
    "guardian",
    "Parent or guardian",
    "Sees and supports their own children's program, and who has opened their records.",
    Scope.FAMILY,
    frozenset(
        {
            P.PATIENT_VIEW,
            P.ACCESS_LOG_VIEW,
            P.GOAL_RATE,
            P.WIN_ADD,
            P.DIARY_WRITE,
            P.INTAKE_FAMILY,
            P.EXERCISE_TICK,
            P.MEASURE_ANSWER,
            P.REPORT_FAMILY_PRINT,
            P.SCHOOL_PLAN_APPROVE,
            P.MEDICINE_LIST_EDIT,
            P.PAIN_VIEW_WHEN_SHARED,
            P.LEARNING_MARK_READ,
            P.MESSAGE_VIEW,
            P.MESSAGE_SEND,
            P.APPOINTMENT_VIEW,
        }
    ),
)
TEEN = Role(
    "teen",
    "Teen (12 or older)",
    "Sees their own program; answers marked private stay between them and their care team.",
    Scope.SELF,
    frozenset(
        {
            P.PATIENT_VIEW,
            P.GOAL_RATE,
            P.WIN_ADD,
            P.DIARY_WRITE,
            P.DIARY_KEEP_PRIVATE,
            P.EXERCISE_TICK,
            P.MEASURE_ANSWER,
            P.MEDICINE_LIST_EDIT,
            P.TEEN_RAISED_ALERTS_VIEW,
            P.LEARNING_MARK_READ,
            P.MESSAGE_VIEW,
            P.MESSAGE_SEND,
            P.APPOINTMENT_VIEW,
        }
    ),
)

ALL_ROLES: list[Role] = [*STAFF_ROLES.values(), GUARDIAN, TEEN]
STAFF_ROLE_CHOICES = [(role.key, role.label) for role in STAFF_ROLES.values()]


def permissions_markdown() -> str:
    """The permission and role tables as docs/permissions.md shows them (a test compares)."""
    lines = [
        "| permission | what it allows | " + " | ".join(r.label for r in ALL_ROLES) + " |",
        "|---|---|" + "---|" * len(ALL_ROLES),
    ]
    for p in Permission:
        marks = " | ".join("yes" if p in r.permissions else "" for r in ALL_ROLES)
        lines.append(f"| `{p.value}` | {PERMISSION_DESCRIPTIONS[p]} | {marks} |")
    lines += ["", "| role | reaches | what the role is for |", "|---|---|---|"]
    lines += [
        f"| {r.label} | {r.scope.value.replace('_', ' ')} | {r.description} |" for r in ALL_ROLES
    ]
    return "\n".join(lines)
