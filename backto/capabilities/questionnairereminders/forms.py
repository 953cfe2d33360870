"""What the questionnaire emails' switch posts."""

from backto.core.forms import ParameterForm, SwitchField


class QuestionnaireEmailsForm(ParameterForm):
    """The family home's button: `emails=1` turns the emails on, `0` off."""

    emails = SwitchField()
