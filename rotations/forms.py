from datetime import time
from zoneinfo import ZoneInfo

from django import forms

from accounts.models import User
from core.forms import ErrorsDescribed, ListedChoiceIterator, LocalDateTimeField
from rotations.models import WEEKDAYS, Role, Rotation


class OverrideForm(ErrorsDescribed, forms.Form):
    role = forms.ModelChoiceField(queryset=Role.objects.none(), empty_label=None)
    person = forms.ModelChoiceField(
        queryset=User.objects.none(), to_field_name="username", label="Who covers"
    )
    start = LocalDateTimeField(label="From")
    end = LocalDateTimeField(label="Until")
    reason = forms.CharField(max_length=200, required=False, help_text="Holiday, swap, ...")

    def __init__(self, *args, rotation: Rotation, **kwargs):
        super().__init__(*args, **kwargs)
        zone = ZoneInfo(rotation.timezone)
        for name in ("role", "person"):
            self.fields[name].iterator = ListedChoiceIterator  # before the querysets are set
        self.fields["role"].queryset = rotation.roles.order_by("position")
        self.fields["role"].label_from_instance = lambda role: role.name
        self.fields["person"].queryset = User.objects.filter(
            is_active=True, memberships__team=rotation.team
        ).order_by("display_name", "username")
        self.fields["person"].label_from_instance = lambda user: f"{user.name} ({user.username})"
        for name in ("start", "end"):
            self.fields[name].zone = zone
            self.fields[name].help_text = f"In {rotation.timezone}."


class RotationForm(forms.ModelForm):
    class Meta:
        model = Rotation
        fields = ["name", "timezone", "channel", "holiday_country", "header_channel_id"]


class RoleForm(forms.Form):
    """One role; its members are usernames, one per line, in rota order."""

    name = forms.CharField(max_length=80)
    handoff_weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, label="Handoff day")
    handoff_time = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        label="Handoff time",
        initial=time(9),
    )
    cycle_weeks = forms.IntegerField(min_value=1, max_value=52, initial=1, label="Weeks per shift")
    start = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        label="First handoff on or after",
    )
    escalation_timeout_minutes = forms.IntegerField(
        min_value=1, max_value=24 * 60, initial=15, label="Escalate after (minutes)"
    )
    members = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="Usernames, one per line, in rota order. Changes take effect at the next "
        "handoff.",
    )

    def clean_members(self):
        names = [line.strip() for line in self.cleaned_data["members"].splitlines()]
        names = [name for name in names if name]
        found = {user.username: user for user in User.objects.filter(username__in=names)}
        unknown = [name for name in names if name not in found]
        if unknown:
            raise forms.ValidationError(f"No such person: {', '.join(unknown)}.")
        return [found[name] for name in names]


RoleFormSet = forms.formset_factory(RoleForm, extra=0, min_num=1, validate_min=True)
