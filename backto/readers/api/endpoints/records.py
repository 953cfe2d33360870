"""What the list endpoints share: their cursor and limit, and one audit event per response. The
records themselves are loaded through the pages' own loaders (backto.access.patients.access)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Schema
from pydantic import Field

from backto.access.patients.access import audit_page_view, filters_detail
from backto.readers.api.pagination import DEFAULT_LIMIT, MAX_LIMIT


class PageParams(Schema):
    cursor: str | None = Field(None, description="From the previous page's next_cursor.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page.")


PageQuery = Query[PageParams]


def audit_list(
    request: HttpRequest,
    params: PageParams | None,
    *,
    patient_id: int | None = None,
    **filters: Any,
) -> None:
    """One audit event per response (a page of results, or a summary), with the filters it was
    asked with (never a name)."""
    if params is not None:
        filters = {"cursor": params.cursor, "limit": params.limit, **filters}
    audit_page_view(request, patient_id=patient_id, detail=filters_detail(api="v1", **filters))
