"""The episode-of-care lifecycle as an explicit transition table.

referred → intake → active → discharged → follow-up → closed, and withdrawn from any open state.
docs/episodes.md shows the diagram generated from this table (a test keeps it current).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from backto.access.accounts.roles import Permission


class EpisodeState(models.TextChoices):
    REFERRED = "referred", _("Referred")
    INTAKE = "intake", _("Intake")
    ACTIVE = "active", _("In the program")
    DISCHARGED = "discharged", _("Discharged")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = EpisodeState
OPEN_STATES = frozenset({S.REFERRED, S.INTAKE, S.ACTIVE, S.DISCHARGED, S.FOLLOW_UP})
FINAL_STATES = frozenset({S.CLOSED, S.WITHDRAWN})


@dataclass(frozen=True)
class Transition:
    source: EpisodeState
    target: EpisodeState
    label: str
    permission: Permission
    needs_note: bool = False


TRANSITIONS: dict[tuple[EpisodeState, EpisodeState], Transition] = {
    (t.source, t.target): t
    for t in [
        Transition(S.REFERRED, S.INTAKE, "Start intake", Permission.EPISODE_TRANSITION),
        Transition(S.INTAKE, S.ACTIVE, "Start the program", Permission.EPISODE_TRANSITION),
        Transition(S.ACTIVE, S.DISCHARGED, "Discharge", Permission.EPISODE_TRANSITION),
        Transition(S.DISCHARGED, S.FOLLOW_UP, "Begin follow-up", Permission.EPISODE_TRANSITION),
        Transition(S.FOLLOW_UP, S.CLOSED, "Close the episode", Permission.EPISODE_TRANSITION),
        *[
            Transition(
                state, S.WITHDRAWN, "Withdraw", Permission.EPISODE_TRANSITION, needs_note=True
            )
            for state in (S.REFERRED, S.INTAKE, S.ACTIVE, S.DISCHARGED, S.FOLLOW_UP)
        ],
    ]
}


def transitions_from(state: str) -> list[Transition]:
    return [t for (source, _), t in TRANSITIONS.items() if source == state]


def mermaid_diagram() -> str:
    lines = ["stateDiagram-v2", "    [*] --> referred"]
    for t in TRANSITIONS.values():
        lines.append(f"    {t.source.value} --> {t.target.value}: {t.label}")
    lines += [f"    {state.value} --> [*]" for state in sorted(FINAL_STATES)]
    return "\n".join(lines)
