"""The explainer page draws the model's state on the server too (without a script)."""

from django.urls import reverse

from backto.clinical.pain_cycle import PRESETS, Settings, describe, describe_beat, run


def test_it_starts_with_the_normal_alarm_and_describes_it(as_user, gina) -> None:
    response = as_user(gina).get(reverse("explainer"))
    assert response.status_code == 200
    text = response.content.decode()
    assert describe(PRESETS["normal"]) in text
    assert describe_beat(run(PRESETS["normal"])[-1]) in text
    assert "It is not a clinical model" in text


def test_a_preset_sets_every_slider(as_user, maya_teen) -> None:
    response = as_user(maya_teen).get(reverse("explainer"), {"preset": "amplified"})
    assert describe(PRESETS["amplified"]) in response.content.decode()
    assert 'name="sensitivity" min="0" max="10" step="1" value="8"' in response.content.decode()


def test_the_sliders_work_without_a_script(as_user, pat) -> None:
    response = as_user(pat).get(
        reverse("explainer"), {"stimulus": "5", "sensitivity": "8", "movement": "10"}
    )
    assert describe(Settings(stimulus=5, sensitivity=8, movement=10)) in response.content.decode()


def test_a_slider_outside_its_range_is_named(as_user, gina) -> None:
    response = as_user(gina).get(reverse("explainer"), {"coping": "12"})
    assert response.status_code == 400
    assert "Coping skills: Ensure this value is less than or equal to 10." in (
        response.content.decode()
    )
    assert describe(PRESETS["normal"]) in response.content.decode()


def test_it_needs_a_sign_in(client, db) -> None:  # the refusal is audited: db
    response = client.get(reverse("explainer"))
    assert response.status_code == 302
