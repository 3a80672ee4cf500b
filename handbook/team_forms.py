"""The forms of a team's edit page: the charter (with its ordered lists), rows of contacts and
workstreams, members, meetings.

Ordered lists and rows are posted as repeated inputs (one `principles` input per line, one
`reason` input per contact row, in the order shown), so moving an item in the page, with or
without JavaScript, is moving its inputs: nothing is renumbered."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms

from accounts.models import User
from core.forms import ErrorsDescribed, LocalDateTimeField

from .models import Meeting, Membership
from .services.meetings import MEETING_FIELDS
from .services.teams import CHARTER_FIELDS

LINE_MAX_LENGTH = 500
LINES_MAX = 50
ROWS_MAX = 50


class RepeatedInput(forms.Widget):
    """Reads every value posted under the field's name, in order (rendered by the template)."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])


class LinesField(forms.Field):
    """An ordered list of short lines; empty inputs (a line added and left blank) are dropped."""

    widget = RepeatedInput

    def to_python(self, value):
        if isinstance(value, str):
            value = [value]
        return [line.strip() for line in value or [] if line.strip()]

    def validate(self, value):
        super().validate(value)
        if len(value) > LINES_MAX:
            raise forms.ValidationError(f"Keep it to {LINES_MAX} lines at most.")
        for number, line in enumerate(value, start=1):
            if len(line) > LINE_MAX_LENGTH:
                raise forms.ValidationError(
                    f"Line {number} is longer than {LINE_MAX_LENGTH} characters."
                )


class CharterForm(ErrorsDescribed, forms.Form):
    name = forms.CharField(max_length=120)
    mission = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    channel_url = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Channel address",
        help_text="Where to reach the team: its Mattermost or Slack channel.",
    )
    vision_1y = forms.CharField(
        required=False, label="Vision: one year", widget=forms.Textarea(attrs={"rows": 2})
    )
    vision_3y = forms.CharField(
        required=False, label="Vision: three years", widget=forms.Textarea(attrs={"rows": 2})
    )
    vision_10y = forms.CharField(
        required=False, label="Vision: ten years", widget=forms.Textarea(attrs={"rows": 2})
    )
    principles = LinesField(required=False, help_text="One short line each.")
    ownership = LinesField(
        required=False, label="Areas of ownership", help_text="Highest priority first."
    )
    support_guidelines = forms.CharField(
        required=False,
        label="How to ask for help",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown.",
    )
    # The team's version the form was loaded from: saving over a newer one shows what changed.
    base_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    LISTS = ("principles", "ownership")
    FIELDS = ("name", "mission", *CHARTER_FIELDS)


class PersonField(forms.CharField):
    """A username typed (or picked from the page's list of people): an active person."""

    def clean(self, value):
        username = super().clean(value)
        if not username:
            return None
        person = User.objects.filter(username=username, is_active=True).first()
        if person is None:
            raise forms.ValidationError(f"No active person has the username “{username}”.")
        return person


class ContactRowForm(ErrorsDescribed, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(max_length=200)
    contacts = forms.CharField(
        max_length=1000,
        label="Contacts, in order",
        help_text="Handles or people, separated by commas: first tried first.",
    )
    via = forms.CharField(max_length=120, required=False)

    def clean_contacts(self):
        names = [name.strip() for name in self.cleaned_data["contacts"].split(",")]
        names = [name for name in names if name]
        if not names:
            raise forms.ValidationError("Name at least one contact.")
        return names


class WorkstreamRowForm(ErrorsDescribed, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(max_length=200)
    lead = PersonField(required=False, max_length=150, help_text="A username.")
    description = forms.CharField(required=False, max_length=2000, label="About")


class Rows:
    """Rows of one kind posted as repeated inputs, each checked by its own form. A row left
    entirely blank is dropped; `forms` are the rows to show (with their errors)."""

    def __init__(self, form_class, *, key: str, data=None, initial: list[dict] | None = None):
        self.form_class, self.key, self.error = form_class, key, None
        if data is not None:
            rows = self.posted(form_class, data)
            self.forms = [self._form(i, data=row) for i, row in enumerate(rows)]
        else:
            self.forms = [self._form(i, initial=row) for i, row in enumerate(initial or [])]

    @staticmethod
    def posted(form_class, data) -> list[dict]:
        """The rows as typed, in order, without the blank ones."""
        names = list(form_class.base_fields)
        columns = {name: data.getlist(name) for name in names}
        count = max((len(values) for values in columns.values()), default=0)
        rows = [
            {name: (columns[name][i] if i < len(columns[name]) else "") for name in names}
            for i in range(count)
        ]
        shown = [name for name in names if name != "id"]
        return [row for row in rows if any(row[name].strip() for name in shown)]

    def _form(self, index: int, **kwargs):
        return self.form_class(auto_id=f"id_{self.key}_{index}_%s", **kwargs)

    @property
    def blank(self):
        """An empty row, to copy when one is added (the template's <template>)."""
        return self.form_class(auto_id=f"id_{self.key}_new_%s")

    def is_valid(self) -> bool:
        if len(self.forms) > ROWS_MAX:
            self.error = f"Keep it to {ROWS_MAX} rows at most."
            return False
        valid = [form.is_valid() for form in self.forms]  # every row, so each shows its errors
        return all(valid)

    @property
    def cleaned_data(self) -> list[dict]:
        rows = []
        for form in self.forms:
            row = dict(form.cleaned_data)
            if row.get("id") is None:
                row.pop("id", None)
            rows.append(row)
        return rows


def list_operation(items: list, operation: str) -> tuple[list, int | None]:
    """A button of an ordered list pressed without JavaScript: `up:2`, `down:0`, `remove:1`
    or `add`. Returns the items after it and the index of the item to give the focus to."""
    action, _, index = operation.partition(":")
    items = list(items)
    try:
        position = int(index) if index else None
    except ValueError:
        position = None
    if action == "add":
        items.append(None)
        return items, len(items) - 1
    if position is None or not 0 <= position < len(items):
        return items, None
    if action == "remove":
        del items[position]
        return items, min(position, len(items) - 1) if items else None
    target = position - 1 if action == "up" else position + 1 if action == "down" else None
    if target is None or not 0 <= target < len(items):
        return items, position
    items[position], items[target] = items[target], items[position]
    return items, target


class MemberAddForm(ErrorsDescribed, forms.Form):
    person = PersonField(
        max_length=150, label="Person", help_text="A username; start typing to pick someone."
    )
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.ENGINEER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class MeetingForm(ErrorsDescribed, forms.ModelForm):
    """A meeting, its first occurrence typed in the meeting's own time zone."""

    start = LocalDateTimeField(label="First occurrence", help_text="In the meeting's time zone.")

    class Meta:
        model = Meeting
        fields = list(MEETING_FIELDS)
        labels = {"recurrence": "Repeats (RRULE)", "duration_minutes": "Minutes"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone_name = self.instance.timezone if self.instance.pk else "UTC"
        if self.is_bound:
            zone_name = self.data.get(self.add_prefix("timezone"), zone_name)
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")  # the zone's own field says what is wrong with it
        self.fields["start"].zone = zone
