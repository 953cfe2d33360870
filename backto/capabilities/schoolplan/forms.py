from django import forms

from backto.capabilities.schoolplan.models import SchoolPlan


class SchoolPlanForm(forms.ModelForm):
    class Meta:
        model = SchoolPlan
        fields = ["attendance_plan", "accommodations", "share_goals"]
        labels = {
            "attendance_plan": "Attendance plan",
            "accommodations": "What helps at school",
            "share_goals": "Name the child's goals in the letter",
        }
        widgets = {
            "attendance_plan": forms.Textarea(attrs={"rows": 4}),
            "accommodations": forms.Textarea(attrs={"rows": 3}),
        }
