"""Who may see and do what to which child's record.

Two questions, answered separately:
- scope: is this child within the person's circle (their care teams, their clinic for clinic-wide
  roles, their own children, their own record)? Outside it the record does not exist for them: 404.
- permission: does one of the person's roles allow this kind of action? If not: 403.

Every loader audits what it answers: a view of the record, or the denied attempt.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission, Scope
from backto.access.patients.models import CareTeamMember, Episode, Guardianship, Patient
from backto.audit.log import audit
from backto.audit.models import Action
from backto.core.fixed_sql import fixed_query

M = TypeVar("M", bound=Model)


def _scopes(user: User) -> set[Scope]:
    return {role.scope for role in user.roles}


# The one rule of who reaches which child, beyond clinic-wide roles: for each scope, the row
# that links a person to a child (model, the person's field, the child's field). Lists ask it as
# a condition on many children (patients_for); a single record asks it for one child (in_scope).
CIRCLE_LINKS: dict[Scope, tuple[type[Model], str, str]] = {
    Scope.CARE_TEAM: (CareTeamMember, "clinician_id", "episode__patient_id"),
    Scope.FAMILY: (Guardianship, "guardian_id", "patient_id"),
    Scope.SELF: (Patient, "teen_account_id", "pk"),
}


def _linking_scopes(user: Any) -> list[Scope] | None:
    """The scopes whose rows put a child in the person's circle. None when the whole clinic is
    in reach; none at all for anyone signed out or inactive."""
    if not user.is_authenticated or not user.is_active:
        return []
    scopes = _scopes(user)
    if Scope.CLINIC in scopes:
        return None
    return [scope for scope in CIRCLE_LINKS if scope in scopes]


def _link_rows(scope: Scope, user_id: Any, child: Any) -> QuerySet[Any]:
    """The rows of this scope that would put this child (`child`: a Patient pk, or a reference
    to one) in the person's circle."""
    model, person, linked = CIRCLE_LINKS[scope]
    return model._default_manager.filter(**{person: user_id, linked: child})


def patients_for(user: Any) -> QuerySet[Patient]:
    """The children whose records this person may open at all (their circle)."""
    if not user.is_authenticated:
        return Patient.objects.none()
    base = Patient.objects.filter(clinic_id=user.clinic_id)
    scopes = _linking_scopes(user)
    if scopes is None:
        return base
    condition = Q(pk__in=[])
    for scope in scopes:
        condition |= Q(Exists(_link_rows(scope, user.pk, OuterRef("pk"))))
    return base.filter(condition)


def care_team_patients(user: Any) -> QuerySet[Patient]:
    """The children on this person's care teams (of any episode) among those they may open: a
    clinician's own caseload, whatever the reach of their role. For someone whose circle is
    their care teams that is `patients_for` as it stands, without the same condition twice."""
    circle = patients_for(user)
    if user.is_authenticated and _scopes(user) == {Scope.CARE_TEAM}:
        return circle
    return circle.filter(Exists(_link_rows(Scope.CARE_TEAM, user.pk, OuterRef("pk"))))


@dataclass(frozen=True)
class Reach:
    """What of a signed-in person decides the SQL of their circle and of what they may see: their
    kind, whether the account is active, and their roles. The shape of a fixed query
    (backto.core.fixed_sql) that asks `patients_for` and the like; the person's id and clinic are
    its values."""

    kind: str
    active: bool
    role_keys: frozenset[str]

    def stand_in(self, user_id: int, clinic_id: int) -> User:
        """An unsaved person with this reach, this id and this clinic, for a fixed query's
        builder: what `patients_for` and the like read of a person, and nothing else."""
        person = User(pk=user_id, clinic_id=clinic_id, kind=self.kind, is_active=self.active)
        person.__dict__["role_keys"] = self.role_keys  # the roles, without a query
        return person


def reach_of(user: User) -> Reach:
    return Reach(user.kind, user.is_active, user.role_keys)


@fixed_query
def _linked(scope: Scope, *, user_id: int, patient_id: int) -> QuerySet[Any]:
    return _link_rows(scope, user_id, patient_id).values_list("pk", flat=True)[:1]


def in_scope(user: Any, patient: Patient) -> bool:
    """Is this child in the person's circle? Remembered for the request.

    One small query per scope the person holds (most hold one): a single child's check is on
    every page and every diary submission, and this costs a fraction of building the circle
    condition of `patients_for` into the query that loads the record."""
    cache: dict[int, bool] = user.__dict__.setdefault("_backto_scope_cache", {})
    if patient.pk not in cache:
        scopes = _linking_scopes(user)
        cache[patient.pk] = patient.clinic_id == getattr(user, "clinic_id", None) and (
            scopes is None
            or any(_linked(scope, user_id=user.pk, patient_id=patient.pk) for scope in scopes)
        )
    return cache[patient.pk]


# Permissions that a clinic-wide reach does not give: the person must be on the child's care team
# (of any episode, as a clinician's scope), whatever their role. A coordinator who is on the team
# (discipline "coordination") has them; one who reaches the child only through the clinic has not.
CARE_TEAM_ONLY = frozenset({Permission.TEEN_PRIVATE_VIEW})


def on_care_team(user: Any, patient: Patient) -> bool:
    """Is this person on the child's care team (any episode)? Remembered for the request; for a
    clinician, whose circle is their care teams, it is the scope check already made."""
    if _scopes(user) == {Scope.CARE_TEAM}:
        return in_scope(user, patient)
    cache: dict[int, bool] = user.__dict__.setdefault("_backto_care_team_cache", {})
    if patient.pk not in cache:
        cache[patient.pk] = patient.clinic_id == getattr(user, "clinic_id", None) and bool(
            _linked(Scope.CARE_TEAM, user_id=user.pk, patient_id=patient.pk)
        )
    return cache[patient.pk]


def has_permission(user: Any, permission: Permission, patient: Patient | None = None) -> bool:
    """The one question every view asks: may this person do this (to this child)?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if permission not in user.permissions:
        return False
    if patient is None:
        return True
    if permission in CARE_TEAM_ONLY:
        return on_care_team(user, patient)
    return in_scope(user, patient)


def sees_teen_private(user: Any, patient: Patient) -> bool:
    """May this person read the answers the child's teen keeps from their guardians? The care
    team (TEEN_PRIVATE_VIEW, on the team), and the teen themself; nobody else: not guardians,
    not a coordinator or clinic admin who reaches the child through the clinic."""
    if patient.teen_account_id is not None and patient.teen_account_id == user.pk:
        return True
    return has_permission(user, Permission.TEEN_PRIVATE_VIEW, patient)


class _Can(Mapping[str, bool]):
    """`can`'s answers, each asked when a template first reads it (a page reads a handful of
    the sixty-odd permissions)."""

    def __init__(self, user: Any, patient: Patient | None) -> None:
        self.user, self.patient = user, patient
        self.answers: dict[str, bool] = {}

    def __getitem__(self, key: str) -> bool:
        if key not in self.answers:
            try:
                permission = Permission(key)
            except ValueError:
                raise KeyError(key) from None
            self.answers[key] = has_permission(self.user, permission, self.patient)
        return self.answers[key]

    def __iter__(self) -> Iterator[str]:
        return (p.value for p in Permission)

    def __len__(self) -> int:
        return len(Permission)


def can(user: Any, patient: Patient | None = None) -> Mapping[str, bool]:
    """For templates: {"episode_transition": True, ...} for this person and child."""
    return _Can(user, patient)


def deny(
    request: HttpRequest,
    *,
    status: int,
    object_type: str,
    object_id: Any,
    patient_id: int | None,
    permission: Permission,
) -> None:
    """Audit a refusal with what was asked for. A 403 raised anywhere else is audited by the
    403 handler (backto.core.errors.forbidden), so every refusal is in the log once."""
    audit(
        by=request.user,
        action=Action.PERMISSION_DENIED,
        object_type=object_type,
        object_id=object_id,
        patient_id=patient_id,
        detail=f"{status} {permission.value}",
    )
    request.backto_refusal_audited = True  # type: ignore[attr-defined]


# Methods that only read: a page asks its read permission for them, its write permission for
# the others (a form's POST).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# What a page asks: one permission, or several when different people open it for different
# things (a questionnaire is read by the care team with measure_view and answered by the family
# with measure_answer). Of several, the first the person's roles hold is the one asked, and the
# first of all when they hold none (the one their refusal names).
Asks = Permission | tuple[Permission, ...]


def asked_of(user: Any, asks: Asks) -> Permission:
    """The one permission of `asks` that this person is asked (see Asks)."""
    if isinstance(asks, Permission):
        return asks
    held: frozenset[Permission] = getattr(user, "permissions", frozenset())
    return next((p for p in asks if p in held), asks[0])


def asked_permission(request: HttpRequest, read: Asks, write: Asks | None = None) -> Permission:
    """The permission this request needs from a page that is read with `read` and changed with
    `write` (the same one when there is no write): one place decides, not one ternary a view."""
    user = getattr(request, "user", None)
    if write is not None and request.method not in SAFE_METHODS:
        return asked_of(user, write)
    return asked_of(user, read)


def has_permission_in_discipline(
    user: Any, permission: Permission, patient: Patient, discipline: str
) -> bool:
    """A permission the table gives, narrowed on a record of one discipline to the people of
    that discipline (docs/permissions.md, "Record rules"): a session note is signed with
    session_write by a clinician whose role is of the session's discipline (a physical
    therapist signs physical therapy notes, not counseling ones)."""
    return has_permission(user, permission, patient) and any(
        role.discipline == discipline for role in user.roles
    )


def refuse(
    request: HttpRequest, record: Model, patient_id: int, permission: Permission
) -> NoReturn:
    """Refuse (403) a person whom the table allows `permission` but a rule on this one record
    does not (the note's discipline, the questionnaire's respondent, the intake's stage), with
    an event naming the permission, like a loader's refusal."""
    deny(
        request,
        status=403,
        object_type=record._meta.model_name or "record",
        object_id=record.pk,
        patient_id=patient_id,
        permission=permission,
    )
    raise PermissionDenied("Your role does not allow this here.")


def _in_clinic(records: QuerySet[M], patient_path: str, clinic_id: int) -> QuerySet[M]:
    """These records of the clinic's children, each with its child (through `patient_path`)."""
    if not patient_path:
        return records.filter(clinic_id=clinic_id)
    return records.filter(**{f"{patient_path}__clinic_id": clinic_id}).select_related(patient_path)


@fixed_query
def _record(
    model: type[Model], patient_path: str, related: tuple[str, ...], *, pk: int, clinic_id: int
) -> QuerySet[Any]:
    records = model._default_manager.filter(pk=pk).select_related(*related)
    return _in_clinic(records, patient_path, clinic_id)


def get_record_for(
    request: AuthenticatedHttpRequest,
    queryset: QuerySet[M] | type[M],
    pk: int,
    read: Asks,
    *,
    write: Asks | None = None,
    patient_path: str,
    related: tuple[str, ...] = (),
) -> M:
    """Load any part of a child's record for this request, through the path from it to the
    child ("" for a Patient, "patient" for an Episode, "episode__patient" for a Goal), from
    `queryset`, or from all the records of a model given instead, with the `related` records
    (select_related) in the same query: a fixed query, for the pages opened most.

    `read` is what showing the page needs, `write` what a POST to it needs (by default the same):
    a page that both shows and changes a record names both, and the table says who has each.
    Either may be several permissions (Asks): the first the person holds is asked.

    404 when it does not exist, belongs to another clinic, or its child is outside the person's
    circle; 403 when the child is in the circle but the role lacks the permission. Every answer
    is audited: a GET as a view, a refusal as permission_denied.
    """
    user = request.user
    permission = asked_permission(request, read, write)
    model = queryset if isinstance(queryset, type) else queryset.model
    object_type = model._meta.model_name or "record"
    obj: Any
    if isinstance(queryset, type):  # the plain records: a fixed query (every page asks one)
        found = _record(queryset, patient_path, related, pk=pk, clinic_id=user.clinic_id)
        obj = found[0] if found else None
    else:
        try:
            obj = _in_clinic(queryset, patient_path, user.clinic_id).get(pk=pk)
        except ObjectDoesNotExist:
            obj = None
    patient: Any = obj
    for step in patient_path.split("__") if (patient_path and obj is not None) else []:
        patient = getattr(patient, step)
    if obj is None or not in_scope(user, patient):
        # Not there, another clinic's, or outside the circle: the same 404 for all three.
        deny(
            request,
            status=404,
            object_type=object_type,
            object_id=pk,
            patient_id=patient.pk if obj is not None else None,
            permission=permission,
        )
        raise Http404("No such record.")
    if not has_permission(user, permission, patient):
        deny(
            request,
            status=403,
            object_type=object_type,
            object_id=pk,
            patient_id=patient.pk,
            permission=permission,
        )
        raise PermissionDenied("Your role does not allow this.")
    request.backto_patient_id = patient.pk  # type: ignore[attr-defined]  # for a later refusal
    if request.method in ("GET", "HEAD"):
        audit(
            by=user,
            action=Action.VIEW,
            object_type=object_type,
            object_id=pk,
            patient_id=patient.pk,
            detail=page_read(request),
        )
    return obj


def page_read(request: HttpRequest) -> str:
    """Which part of a record a read showed, for the event's detail: the page's name
    ("diary_calendar", "session_detail", "report_pdf kind=family"), with the address's words
    that are not ids. Never a name: addresses hold ids and fixed words only."""
    match = request.resolver_match
    if match is None:
        return ""
    words = " ".join(f"{k}={v}" for k, v in match.kwargs.items() if not k.endswith("_id"))
    return f"{match.url_name} {words}".strip()


def audit_page_view(
    request: HttpRequest, *, detail: str = "", patient_id: int | None = None
) -> None:
    """A read of a page that is not one record (the caseload, the family home, the families,
    invitations and audit pages, the learning lists): one event per page shown, never one per
    row. The detail holds the filters the page was asked with, never a name."""
    audit(
        by=request.user,
        action=Action.VIEW,
        object_type="page",
        object_id=request.resolver_match.url_name if request.resolver_match else "",
        patient_id=patient_id,
        detail=detail,
    )


def filters_detail(**filters: Any) -> str:
    """The filters a list was asked with, for an event's detail ("state=open sort=name page=2"),
    the empty ones left out."""
    return " ".join(f"{name}={value}" for name, value in filters.items() if value not in ("", None))


def get_patient_for(
    request: AuthenticatedHttpRequest,
    patient_id: int,
    read: Asks,
    *,
    write: Asks | None = None,
) -> Patient:
    return get_record_for(request, Patient, patient_id, read, write=write, patient_path="")


def get_episode_for(
    request: AuthenticatedHttpRequest,
    episode_id: int,
    read: Asks,
    *,
    write: Asks | None = None,
    related: tuple[str, ...] = (),
) -> Episode:
    return get_record_for(
        request, Episode, episode_id, read, write=write, patient_path="patient", related=related
    )


def require_permission(request: HttpRequest, permission: Permission) -> None:
    """For clinic-level pages (staff list, audit log): 403 without the permission."""
    if not has_permission(request.user, permission):
        deny(
            request,
            status=403,
            object_type="page",
            object_id=request.resolver_match.url_name if request.resolver_match else "",
            patient_id=None,
            permission=permission,
        )
        raise PermissionDenied("Your role does not allow this.")
