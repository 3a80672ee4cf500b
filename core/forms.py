"""Form pieces every app uses."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.forms.models import ModelChoiceIterator


class ListedChoiceIterator(ModelChoiceIterator):
    """Choices read with one plain query. Django's own iterator reads them through a
    server-side cursor on PostgreSQL (declare, fetch, close: three round trips), which for a
    select of a few dozen rows on every page view costs more than the rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ErrorsDescribed:
    """A form whose fields in error are described by their error, which the page shows (with
    the id `<field id>_error`) in place of the help text; Django links only the help text."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}_error"


LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A `datetime-local` input read in a given zone (a rota's, a meeting's), not the server's."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)

    def __init__(self, *args, zone: ZoneInfo | None = None, **kwargs):
        self.zone = zone
        kwargs.setdefault("input_formats", [LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S"])
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        # Shown in the field's zone; Django's own would show it in the viewer's.
        if isinstance(value, datetime) and value.tzinfo is not None and self.zone is not None:
            return value.astimezone(self.zone).replace(tzinfo=None)
        return super().prepare_value(value)

    def to_python(self, value):
        if isinstance(value, str) and value:
            for fmt in self.input_formats:
                try:
                    naive = datetime.strptime(value.strip(), fmt)  # noqa: DTZ007 - local, on purpose
                except ValueError:
                    continue
                return naive.replace(tzinfo=self.zone, fold=0)
            raise forms.ValidationError("Enter a date and time, e.g. 2026-12-24 09:00.")
        return super().to_python(value)
