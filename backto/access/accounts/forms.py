import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from backto.access.accounts.actions import CLINIC_FIELDS
from backto.access.accounts.models import CLINIC_FAMILY_TEXTS, Clinic, User, UserKind
from backto.access.accounts.roles import STAFF_ROLE_CHOICES
from backto.access.patients.models import Guardianship, Patient
from backto.core.forms import ParameterForm, SwitchField

STRONG_ENOUGH = _("At least 10 characters; not a common password.")
PASSWORDS_DIFFER = _("The two passwords are not the same.")
SIGN_IN_NAME_MAX = 254  # the longest email address; usernames have at most 150 characters
EMAIL_MAX = 254  # what User.email and Invitation.email hold (forms.EmailField allows 320)


class SignInForm(AuthenticationForm):
    """One message for an unknown user and a wrong password: nothing tells which it was."""

    error_messages = {
        "invalid_login": _("That username or email and password do not match an active account."),
        "inactive": _("That username or email and password do not match an active account."),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("Username or email")
        self.fields["password"].label = _("Password")
        # No autofocus: keyboard and screen-reader users start at the skip link, as on every page.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        # Django sets max_length here without its validator: a 1 MB name reached the sign-in
        # pause's lookup (a LIKE pattern SQLite refused). A username or an email fits in 254.
        self.fields["username"].validators.append(
            MaxLengthValidator(
                SIGN_IN_NAME_MAX,
                _("A username or email has at most %(max)d characters.")
                % {"max": SIGN_IN_NAME_MAX},
            )
        )


class InvitationAcceptForm(forms.Form):
    username = forms.RegexField(
        regex=r"^[\w.@+-]{3,150}$",
        label=_("Username"),
        help_text=_("3 to 150 letters, digits and . @ + - _"),
        error_messages={"invalid": _("Use 3 to 150 letters, digits or . @ + - _ (no spaces).")},
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    display_name = forms.CharField(
        max_length=150, required=False, label=_("Your name (as the care team will see it)")
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        label=_("Password"),
        help_text=_("At least 10 characters; not a common password."),
    )
    password_again = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        label=_("Password again"),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", PASSWORDS_DIFFER)
        return data


class PasswordResetRequestForm(PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Your email address")
        self.fields["email"].help_text = _("The address your clinic's emails come to.")


class NewPasswordForm(SetPasswordForm):
    """Django's new-password form (after an emailed link), in plain words."""

    error_messages = {"password_mismatch": PASSWORDS_DIFFER}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = STRONG_ENOUGH
        self.fields["new_password2"].label = _("New password again")


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's change-password form, in plain words and without autofocus."""

    error_messages = {
        "password_mismatch": PASSWORDS_DIFFER,
        "password_incorrect": _("That is not your current password."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = STRONG_ENOUGH
        self.fields["new_password2"].label = _("New password again")


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        max_length=EMAIL_MAX,
        label=_("New email address"),
        help_text=_("Password-reset links will go here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    current_password = forms.CharField(
        label=_("Your current password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class AccountDetailsForm(forms.Form):
    display_name = forms.CharField(
        max_length=150,
        required=False,
        label=_("Your name"),
        help_text=_("As the care team sees it. Empty: your username."),
    )
    credentials = forms.CharField(
        max_length=100,
        required=False,
        help_text="Printed after your name on letters, e.g. PT, DPT.",
    )

    language = forms.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,  # left out: unchanged
        label=_("Language"),
        help_text=_("Pages, emails and phone reminders come in this language."),
    )

    def __init__(self, *args: Any, staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["credentials"]


class GuardianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.email})" if obj.email else obj.name


class GuardianAddChildForm(forms.Form):
    guardian = GuardianChoiceField(queryset=User.objects.none(), label="Parent or guardian")
    patient = forms.ModelChoiceField(queryset=Patient.objects.none(), label="Child")
    relationship = forms.ChoiceField(
        choices=Guardianship.Relationship.choices, label="Relationship to this child"
    )

    def __init__(self, *args: Any, clinic_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        guardians = User.objects.filter(clinic_id=clinic_id, kind=UserKind.GUARDIAN, is_active=True)
        self.fields["guardian"].queryset = guardians.order_by("display_name", "username")  # type: ignore[attr-defined]
        self.fields["patient"].queryset = Patient.objects.filter(clinic_id=clinic_id)  # type: ignore[attr-defined]


class StaffInvitationForm(forms.Form):
    email = forms.EmailField(max_length=EMAIL_MAX)
    display_name = forms.CharField(max_length=150, label="Name")
    roles = forms.MultipleChoiceField(
        choices=STAFF_ROLE_CHOICES, widget=forms.CheckboxSelectMultiple
    )


class FamilyInvitationForm(forms.Form):
    email = forms.EmailField(max_length=EMAIL_MAX)
    display_name = forms.CharField(max_length=150, label="Name")
    kind = forms.ChoiceField(
        choices=[(UserKind.GUARDIAN.value, "Parent or guardian"), (UserKind.TEEN.value, "Teen")],
        label="Account for",
    )
    patient = forms.ModelChoiceField(queryset=Patient.objects.none(), label="Child")
    relationship = forms.ChoiceField(
        choices=Guardianship.Relationship.choices,
        required=False,
        help_text="For a parent or guardian account.",
    )

    def __init__(self, *args: object, clinic_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["patient"].queryset = Patient.objects.filter(clinic_id=clinic_id)  # type: ignore[attr-defined]


class StaffRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        choices=STAFF_ROLE_CHOICES, widget=forms.CheckboxSelectMultiple
    )


# The languages besides English a clinic may write its family texts in (Clinic.translations).
OTHER_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES if code != "en"]


class ClinicSettingsForm(forms.ModelForm):
    """The clinic's details; its texts for families also in each other language (`hours_es`…),
    saved together as Clinic.translations. An empty one: families read the English text."""

    class Meta:
        model = Clinic
        fields = [f for f in CLINIC_FIELDS if f != "translations"]
        labels = {
            "phone": "Phone",
            "hours": "Opening hours",
            "crisis_line": "Out-of-hours or crisis line",
            "when_to_call": "When to call us",
            "help_message": "Help message families see after a safety answer",
            "family_rates_goals": "Families may rate their own goals at reviews",
            "staff_two_factor_required": "Staff sign in with two steps (a passkey or an app)",
        }
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "when_to_call": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"] = forms.ChoiceField(
            choices=[(z, z) for z in sorted(zoneinfo.available_timezones())],
            help_text=Clinic._meta.get_field("time_zone").help_text,
        )
        # A family given a safety answer must always be shown where to turn.
        self.fields["help_message"].required = True
        saved = self.instance.translations or {}
        for code, name in OTHER_LANGUAGES:
            for field in CLINIC_FAMILY_TEXTS:
                english = self.fields[field]
                self.fields[f"{field}_{code}"] = forms.CharField(
                    required=False,
                    max_length=getattr(english, "max_length", None),
                    widget=forms.Textarea(attrs={"rows": 3})
                    if isinstance(english.widget, forms.Textarea)
                    else forms.TextInput(),
                    label=f"{english.label} ({name})",
                    initial=(saved.get(code) or {}).get(field, ""),
                    help_text=f"What a family reading BackTo in {name} sees. Empty: the "
                    "English text above.",
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        translations = {
            code: {
                field: text
                for field in CLINIC_FAMILY_TEXTS
                if (text := data.pop(f"{field}_{code}", "").strip())
            }
            for code, _name in OTHER_LANGUAGES
        }
        data["translations"] = {code: texts for code, texts in translations.items() if texts}
        return data


CODE_WIDGET = forms.TextInput(
    attrs={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off"}
)


class SecondStepForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label=_("Code"),
        help_text=_(
            "The 6 digits your authenticator app shows now, or one of your recovery codes."
        ),
        widget=CODE_WIDGET,
    )


class AppSetupForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label=_("Code from the app"),
        help_text=_("The 6 digits the app shows for BackTo after you add it."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ConfirmForm(forms.Form):
    """Sudo mode: the password, or a code for someone with an app or recovery codes."""

    password = forms.CharField(
        required=False,
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        required=False,
        max_length=20,
        label=_("Or a code from your authenticator app"),
        help_text=_("Or one of your recovery codes."),
        widget=CODE_WIDGET,
    )

    def __init__(self, *args: Any, codes: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not codes:
            del self.fields["code"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("password") and not data.get("code"):
            raise forms.ValidationError(_("Type your password to go on."))
        return data


class SetActiveForm(ParameterForm):
    """An account reactivated (`active=1`) or deactivated (`0`); "yes" once deactivated."""

    active = SwitchField()
