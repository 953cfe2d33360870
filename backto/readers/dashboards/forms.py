"""The caseload's filters, read from its address."""

from collections.abc import Collection
from typing import Any

from django import forms
from django.http import QueryDict

from backto.access.patients.lifecycle import EpisodeState
from backto.readers.dashboards.queries import SORTS

DEFAULTS = {"show": "clinic", "state": "open", "flag": "", "sort": "name", "page": "1"}


class CaseloadForm(forms.Form):
    """`show` (`clinic`, or anything else for the viewer's own children), `state` (an episode
    state, `open`, or empty for all), `flag`, `sort` and `page`. A value the list does not offer
    falls back to its default, so an old or edited link still opens the list."""

    show = forms.CharField(required=False, strip=False)
    state = forms.CharField(required=False, strip=False)
    flag = forms.CharField(required=False, strip=False)
    sort = forms.CharField(required=False, strip=False)
    page = forms.IntegerField(required=False)

    def __init__(self, query: QueryDict, *, flags: Collection[str]) -> None:
        super().__init__({name: query.get(name, default) for name, default in DEFAULTS.items()})
        self.flags = flags

    def clean_state(self) -> str:
        state: str = self.cleaned_data["state"]
        return state if state in ("", "open", *EpisodeState.values) else "open"

    def clean_flag(self) -> str:
        flag: str = self.cleaned_data["flag"]
        return flag if flag in self.flags else ""

    def clean_sort(self) -> str:
        sort: str = self.cleaned_data["sort"]
        return sort if sort in SORTS else "name"

    def chosen(self) -> dict[str, Any]:
        """The filters: each field's value, its default where it is not one the list offers."""
        self.is_valid()
        page = self.cleaned_data.get("page")
        return {**self.cleaned_data, "page": 1 if page is None else page}


SAVED_OUTCOMES = ("created", "already", "edited")


class CelebrationForm(forms.Form):
    """`?diary=<child>&saved=created|already|edited`, where the diary sends the family after a
    save. Anything else (a mistyped link, an old bookmark) is simply no celebration: the home
    still opens."""

    diary = forms.IntegerField(min_value=1)
    saved = forms.ChoiceField(choices=[(o, o) for o in SAVED_OUTCOMES])

    def chosen(self) -> tuple[int, str] | None:
        if not self.is_valid():
            return None
        return self.cleaned_data["diary"], self.cleaned_data["saved"]
