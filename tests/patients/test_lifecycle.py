"""The episode transition table: every state has an owner, and the docs show the table."""

from pathlib import Path

from backto.access.patients.lifecycle import (
    FINAL_STATES,
    OPEN_STATES,
    TRANSITIONS,
    EpisodeState,
    mermaid_diagram,
)


def test_every_open_state_has_a_way_forward_and_a_way_out():
    for state in OPEN_STATES:
        targets = {target for (source, target) in TRANSITIONS if source == state}
        assert targets - {EpisodeState.WITHDRAWN}, f"{state} has no way forward"
        assert EpisodeState.WITHDRAWN in targets


def test_final_states_are_final():
    assert not [key for key in TRANSITIONS if key[0] in FINAL_STATES]


def test_every_state_is_reachable_from_referral():
    reached, frontier = {EpisodeState.REFERRED}, [EpisodeState.REFERRED]
    while frontier:
        state = frontier.pop()
        for source, target in TRANSITIONS:
            if source == state and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(EpisodeState)


def test_every_transition_names_a_permission():
    assert all(t.permission for t in TRANSITIONS.values())


def test_the_docs_show_the_current_diagram():
    doc = (Path(__file__).parents[2] / "docs" / "episodes.md").read_text()
    assert mermaid_diagram() in doc, "regenerate with: backto lifecycle_diagram"
