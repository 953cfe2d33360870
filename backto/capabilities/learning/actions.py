"""Every write to learning pages and to the pages suggested to families."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from backto.access.accounts.models import Clinic, User
from backto.access.patients.models import Patient
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.learning.content import ENGLISH, LANGUAGE_FOLDERS, shipped_pages
from backto.capabilities.learning.models import Audience, LearningPage, PageAssignment
from backto.capabilities.learning.queries import clinic_page, languages

BODY_MAX = 20_000


def _check_audience(audience: str) -> None:
    if audience not in Audience.values:
        raise ValidationError({"audience": "Choose parents, or kids and teens."})


def _check_language(language: str) -> None:
    if language not in languages():
        raise ValidationError({"language": "Choose one of the languages BackTo speaks."})


def _check_text(title: str, summary: str, body: str) -> None:
    errors = {}
    if not title:
        errors["title"] = "Give the page a title."
    elif len(title) > 120:
        errors["title"] = "A title has at most 120 characters."
    if len(summary) > 300:
        errors["summary"] = "The summary has at most 300 characters: one or two sentences."
    if not body:
        errors["body"] = "Write the page (Markdown)."
    elif len(body) > BODY_MAX:
        errors["body"] = f"A page has at most {BODY_MAX:,} characters; split it into two pages."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def learning_page_add(
    *,
    by: User,
    clinic: Clinic,
    audience: str,
    title: str,
    summary: str,
    body: str,
    language: str = ENGLISH,
) -> LearningPage:
    """A page of the clinic's own, in one language; its address is made from the title."""
    _check_audience(audience)
    _check_language(language)
    title, summary, body = title.strip(), summary.strip(), body.strip()
    _check_text(title, summary, body)
    slug = slugify(title)[:60].strip("-")
    if not slug:
        raise ValidationError({"title": "Use letters or numbers in the title."})
    if clinic_page(clinic.pk, audience, slug) is not None:
        raise ValidationError({"title": "There is already a page with this title; change one."})
    page = LearningPage.objects.create(
        clinic=clinic,
        audience=audience,
        slug=slug,
        language=language,
        title=title,
        summary=summary,
        body=body,
        updated_by=by,
    )
    audit(by=by, action=Action.CREATE, obj=page, detail=f"{audience}/{slug} ({language})")
    return page


@transaction.atomic
def learning_page_edit(
    *,
    by: User,
    clinic: Clinic,
    audience: str,
    slug: str,
    title: str,
    summary: str,
    body: str,
    language: str = ENGLISH,
) -> LearningPage:
    """Change a page's version in one language, or write the version it lacks. For a shipped
    page, text left as shipped is stored empty, so that a later release's wording of that part
    still reaches the clinic."""
    _check_audience(audience)
    _check_language(language)
    if clinic_page(clinic.pk, audience, slug) is None:
        raise ValidationError({"slug": "No such page."})
    title, summary, body = title.strip(), summary.strip(), body.strip()
    _check_text(title, summary, body)
    shipped = (
        shipped_pages(language).get((audience, slug)) if language in LANGUAGE_FOLDERS else None
    )
    if shipped is not None:
        title = "" if title == shipped.title else title
        summary = "" if summary == shipped.summary else summary
        body = "" if body == shipped.body else body
    page, _ = LearningPage.objects.update_or_create(
        clinic=clinic,
        audience=audience,
        slug=slug,
        language=language,
        defaults={"title": title, "summary": summary, "body": body, "updated_by": by},
    )
    audit(by=by, action=Action.UPDATE, obj=page, detail=f"{audience}/{slug} ({language})")
    return page


@transaction.atomic
def learning_page_restore(
    *, by: User, clinic: Clinic, audience: str, slug: str, language: str = ENGLISH
) -> None:
    """Go back to the shipped wording of a page's version the clinic changed (its visibility
    stays)."""
    if language not in LANGUAGE_FOLDERS or (audience, slug) not in shipped_pages(language):
        raise ValidationError({"slug": "Only a page BackTo ships has an original to go back to."})
    page = LearningPage.objects.filter(
        clinic=clinic, audience=audience, slug=slug, language=language
    ).first()
    if page is None:
        return
    page.title = page.summary = page.body = ""
    page.updated_by = by
    page.save()
    audit(by=by, action=Action.UPDATE, obj=page, detail=f"{audience}/{slug} ({language}) restored")


@transaction.atomic
def learning_page_set_hidden(
    *, by: User, clinic: Clinic, audience: str, slug: str, hidden: bool
) -> LearningPage:
    """Take a page off the clinic's list in every language (families no longer see it), or put
    it back."""
    found = clinic_page(clinic.pk, audience, slug)
    if found is None:
        raise ValidationError({"slug": "No such page."})
    page, _ = LearningPage.objects.get_or_create(
        clinic=clinic, audience=audience, slug=slug, language=found.language
    )
    LearningPage.objects.filter(clinic=clinic, audience=audience, slug=slug).update(
        hidden=hidden, updated_by=by, updated_at=timezone.now()
    )
    page.refresh_from_db()
    audit(
        by=by,
        action=Action.UPDATE,
        obj=page,
        detail=f"{audience}/{slug} {'hidden' if hidden else 'shown'}",
    )
    return page


@transaction.atomic
def learning_page_suggest(
    *, by: User, patient: Patient, audience: str, slug: str, note: str = ""
) -> PageAssignment:
    """Suggest a page to the child's family; suggesting it again updates the note."""
    page = clinic_page(patient.clinic_id, audience, slug)
    if page is None or page.hidden:
        raise ValidationError({"page": "Choose one of the clinic's learning pages."})
    note = note.strip()
    if len(note) > 200:
        raise ValidationError({"note": "A note has at most 200 characters."})
    assignment, created = PageAssignment.objects.update_or_create(
        patient=patient,
        audience=audience,
        slug=slug,
        defaults={"note": note},
        create_defaults={"note": note, "assigned_by": by},
    )
    audit(
        by=by,
        action=Action.CREATE if created else Action.UPDATE,
        obj=assignment,
        patient_id=patient.pk,
        detail=f"{audience}/{slug}",
    )
    return assignment


@transaction.atomic
def learning_page_withdraw(*, by: User, assignment: PageAssignment) -> None:
    audit(
        by=by,
        action=Action.DELETE,
        obj=assignment,
        patient_id=assignment.patient_id,
        detail=f"{assignment.audience}/{assignment.slug}",
    )
    assignment.delete()


@transaction.atomic
def learning_page_mark_read(*, by: User, assignment: PageAssignment) -> None:
    """The family says they have read a suggested page (once; a second time changes nothing)."""
    if assignment.read_at is not None:
        return
    assignment.read_at = timezone.now()
    assignment.save(update_fields=["read_at"])
    audit(
        by=by,
        action=Action.UPDATE,
        obj=assignment,
        patient_id=assignment.patient_id,
        detail=f"{assignment.audience}/{assignment.slug} read",
    )
