"""The releases pages' forms."""

from django import forms
from django.utils import timezone

from .models import Train


class MetricsFilterForm(forms.Form):
    """The metrics page's period (a year) and kind of train, from the address."""

    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    kind = forms.ChoiceField(
        choices=[("", "Every kind"), *Train.Kind.choices], required=False, label="Kind"
    )

    def period(self) -> tuple[int, str | None]:
        """The year and kind asked for; a field that is not valid counts as not given (its
        error is shown on the page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("year") or timezone.localdate().year, data.get("kind") or None
