"""The caseload table's rows, drawn in Python.

Fifty rows of seven cells were some 1,400 template variable lookups, most of the page's drawing
(about 7 ms of a 40 ms caseload at 100,000 children, bench/RESULTS.md); these functions make
the same HTML in a fraction of that. Everything a row shows comes from `CaseloadRow`, worked out
once per page in queries.py. Every value is escaped where it is put in (`_e`: the standard
library's escape, which Django's own calls, without its checks for lazy text: the values here
are plain strings and numbers). Counts are written without locale formatting, as the table
always was.
"""

import html
from collections.abc import Sequence

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from backto.capabilities.diary.dashboard import days_ago
from backto.core.templatetags.icons import icon
from backto.readers.dashboards.queries import CaseloadRow


def _e(value: object) -> str:
    return html.escape(str(value))


def _muted(words: str) -> str:
    return f'<span class="muted">{words}</span>'


def _s(count: int) -> str:
    return "" if count == 1 else "s"


class _Table:
    """What every row shares, worked out once: the link to a child's record, the words that do
    not change from row to row."""

    def __init__(self) -> None:
        # The record's link for any child: its path split around a placeholder id (the last
        # "0" of the path, which ends in "/"), one reverse() per page instead of one per row.
        self.link_before, _zero, self.link_after = reverse("patient_overview", args=[0]).rpartition(
            "0"
        )
        returning = _e(_("Returning"))  # not inside the f-string: xgettext would miss it
        self.returning = f' <span class="badge info">{returning}</span>'
        self.language = _e(_("Family's language:"))
        self.alert = icon("alert", size="sm")

    def child(self, row: CaseloadRow) -> str:
        cell = (
            f'<a href="{self.link_before}{row.patient_id}{self.link_after}">{_e(row.name)}</a>'
            f'\n        <span class="cell-meta">{row.age} y'
        )
        if row.lead:
            cell += f" · lead {_e(row.lead)}"
        cell += "</span>"
        if row.returning:
            cell += self.returning
        if row.family_language != "en":
            cell += (
                f' <span class="badge info"><span class="visually-hidden">{self.language} </span>'
                f'<span lang="{_e(row.family_language)}">{_e(row.language_label)}</span></span>'
            )
        return cell

    def stage(self, row: CaseloadRow) -> str:
        if row.episode_id is None or row.days_in_state is None:
            return _muted("No episode")
        cell = (
            f'<span class="badge state-{_e(row.state)}">{_e(row.state_label)}</span>'
            f'\n        <span class="cell-meta">{row.days_in_state} day{_s(row.days_in_state)} in'
            " this stage"
        )
        if row.days_in_program is not None:
            cell += f"; in the program {row.days_in_program} day{_s(row.days_in_program)}"
        return cell + "</span>"

    def diary(self, row: CaseloadRow) -> str:
        if row.days_since_diary is None:
            return _muted("none")
        return _e(days_ago(row.days_since_diary))

    def questionnaires(self, row: CaseloadRow) -> str:
        s = row.signals
        if not s.due:
            return _muted("—")
        overdue = f", <strong>{s.overdue} overdue</strong>" if s.overdue else ""
        return f"{s.due} due{overdue}"

    def fdi(self, row: CaseloadRow) -> str:
        s = row.signals
        if not s.fdi:
            return _muted("—")
        first, latest = (number_format(score, use_l10n=False) for score in (s.fdi[0], s.fdi[-1]))
        change = s.fdi_change
        if change is None:
            return first
        word = "better" if change < 0 else "worse" if change > 0 else "same"
        return f'{first} → {latest} <span class="small">({word})</span>'

    def flags(self, row: CaseloadRow) -> str:
        if not row.signals.flags:
            return _muted("none")
        items = "".join(
            f'<li><span class="badge bad">{self.alert} {_e(label)}</span></li>'
            for label in row.signals.flag_labels
        )
        return f'<ul class="badge-list">{items}</ul>'

    def todo(self, row: CaseloadRow) -> str:
        if not row.todo:
            return _muted("Nothing right now")
        items = "".join(f"<li>{_e(line)}</li>" for line in row.todo)
        return f'<ul class="todo needs">{items}</ul>'

    def row(self, row: CaseloadRow) -> str:
        cells = (
            self.child(row),
            self.stage(row),
            self.diary(row),
            self.questionnaires(row),
            self.fdi(row),
            self.flags(row),
            self.todo(row),
        )
        return "\n  <tr>\n" + "".join(f"    <td>{cell}</td>\n" for cell in cells) + "  </tr>\n  "


def rows_html(rows: Sequence[CaseloadRow]) -> SafeString:
    """The table body's rows, one <tr> each, as the caseload template drew them."""
    table = _Table()
    # Every value in them is escaped where it is put in (see the module's docstring).
    return mark_safe("".join(table.row(row) for row in rows))  # noqa: S308
