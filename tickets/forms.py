"""The tickets' forms: the board page's filters (GET) and a card's move (POST), and a
ticket's comment."""

from django import forms

from .models import Column, Ticket
from .selectors import BoardFilters
from .services import COMMENT_MAX_LENGTH


class BoardFilterForm(forms.Form):
    assignee = forms.CharField(required=False, max_length=150)
    label = forms.CharField(required=False, max_length=60)
    severity = forms.ChoiceField(
        required=False, choices=[("", "Any severity"), *Ticket.Severity.choices]
    )
    q = forms.CharField(required=False, max_length=200, label="Text")

    def filters(self) -> BoardFilters:
        """The filters asked for; those that are not valid are left out."""
        self.is_valid()
        data = self.cleaned_data  # the valid fields alone
        return BoardFilters(
            assignee=data.get("assignee") or "",
            label=data.get("label") or "",
            severity=data.get("severity") or "",
            text=(data.get("q") or "").strip(),
        )


class MoveForm(forms.Form):
    """A card's move: `ticket`, `column` and `after` (empty: the top), or the three in one
    value, `move` = "ticket:column:after", which is what a card's move button sends."""

    ticket = forms.ModelChoiceField(queryset=Ticket.objects.none())
    column = forms.ModelChoiceField(queryset=Column.objects.none())
    after = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data=None, *args, board, **kwargs):
        if data is not None and "move" in data:
            data = data.copy()
            parts = data.pop("move")[-1].split(":")
            if len(parts) == 3:
                data["ticket"], data["column"], data["after"] = parts
        super().__init__(data, *args, **kwargs)
        self.fields["ticket"].queryset = Ticket.objects.filter(board=board).select_related("board")
        self.fields["column"].queryset = Column.objects.filter(board=board)


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown. Mention a ticket by its key (DEL-42), a handbook page by a link.",
        error_messages={"required": "Write something to comment."},
    )
