"""Form pieces every app uses."""

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
