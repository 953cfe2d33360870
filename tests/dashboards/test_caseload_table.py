"""The caseload table's rows, drawn in Python (readers/dashboards/caseload_table.py): every cell's
words, and every value escaped as the template escaped it."""

from datetime import date, timedelta
from decimal import Decimal

from backto.access.accounts.models import person_name
from backto.access.patients.models import age_on, goes_by
from backto.readers.dashboards.caseload_signals import Signals
from backto.readers.dashboards.caseload_table import rows_html
from backto.readers.dashboards.queries import CaseloadRow
from tests.conftest import TODAY


def _row(**changes: object) -> CaseloadRow:
    fields: dict[str, object] = {
        "patient_id": 7,
        "name": "Maya <b>Lopez</b>",
        "age": 12,
        "family_language": "es",
        "episode_id": 9,
        "state": "active",
        "returning": True,
        "lead": "Pat O'Hara",
        "signals": Signals(
            last_diary=TODAY - timedelta(days=5),
            due=2,
            overdue=1,
            fdi=[Decimal("20"), Decimal("12.5")],
            flags=["no_diary"],
        ),
        "todo": ["Rate the <goals>"],
        "days_in_program": 1,
        "days_in_state": 40,
        "days_since_diary": 5,
        "state_label": "In the program",
        "language_label": "Español",
    }
    fields.update(changes)
    return CaseloadRow(**fields)  # type: ignore[arg-type]


def test_a_row_says_every_cell_and_escapes_what_it_shows() -> None:
    html = str(rows_html([_row()]))
    assert html.startswith("\n  <tr>\n    <td>") and html.endswith("</td>\n  </tr>\n  ")
    assert html.count("<td>") == 7
    assert '<a href="/patients/7/">Maya &lt;b&gt;Lopez&lt;/b&gt;</a>' in html
    assert "12 y · lead Pat O&#x27;Hara</span>" in html
    assert '<span class="badge info">Returning</span>' in html
    assert '<span lang="es">Español</span>' in html
    assert '<span class="badge state-active">In the program</span>' in html
    assert "40 days in this stage; in the program 1 day</span>" in html
    assert "<td>5 days ago</td>" in html
    assert "<td>2 due, <strong>1 overdue</strong></td>" in html
    assert '<td>20 → 12.5 <span class="small">(better)</span></td>' in html
    assert "No diary for 3+ days</span></li></ul>" in html
    assert "<li>Rate the &lt;goals&gt;</li>" in html


def test_a_quiet_row_says_so_in_each_cell() -> None:
    html = str(
        rows_html(
            [
                _row(
                    family_language="en",
                    episode_id=None,
                    state="",
                    returning=False,
                    lead="",
                    signals=Signals(),
                    todo=[],
                    days_in_program=None,
                    days_in_state=None,
                    days_since_diary=None,
                )
            ]
        )
    )
    assert "Returning" not in html and "lang=" not in html and "lead" not in html
    assert '<td><span class="muted">No episode</span></td>' in html
    assert '<td><span class="muted">none</span></td>' in html
    assert html.count('<td><span class="muted">—</span></td>') == 2
    assert '<td><span class="muted">Nothing right now</span></td>' in html


def test_the_diary_day_and_fdi_words() -> None:
    def cells(**changes: object) -> str:
        return str(rows_html([_row(**changes)]))

    assert "<td>today</td>" in cells(days_since_diary=0)
    assert "<td>yesterday</td>" in cells(days_since_diary=1)
    one = Signals(fdi=[Decimal("20")])
    assert "<td>20</td>" in cells(signals=one)
    same = Signals(fdi=[Decimal("20"), Decimal("20")])
    assert "(same)" in cells(signals=same)
    worse = Signals(fdi=[Decimal("12"), Decimal("20")])
    assert "(worse)" in cells(signals=worse)
    assert "1 day in this stage" in cells(days_in_state=1, days_in_program=None)
    assert "in the program" not in cells(days_in_state=1, days_in_program=None)


def test_the_names_and_ages_follow_the_models_rules() -> None:
    """The rows read plain values: the functions they use are the models' own rules."""
    assert goes_by("Maya Lopez", "") == "Maya Lopez"
    assert goes_by("Maya Lopez", "Mimi") == "Mimi Lopez"
    assert goes_by("Maya", "Mimi") == "Mimi"
    assert person_name("", "Pat", "Lee", "pat") == "Pat Lee"
    assert person_name("Dr Pat", "Pat", "Lee", "pat") == "Dr Pat"
    assert person_name("", "", "", "pat") == "pat"
    assert age_on(date(2014, 2, 28), date(2026, 2, 27)) == 11
    assert age_on(date(2016, 2, 29), date(2027, 2, 28)) == 10
    assert age_on(date(2016, 2, 29), date(2027, 3, 1)) == 11
