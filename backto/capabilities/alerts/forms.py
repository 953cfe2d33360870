from django import forms


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="What was done",
        help_text="For example: called the parent, safety plan reviewed, seen today.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
