"""The ticket pages' forms: the board's filters (GET) and a card's move (POST), a
ticket's comment, the support-request form, and triage's actions."""

from django import forms

from core.forms import ListedChoiceIterator
from handbook.models import Team

from .models import Board, Column, Ticket
from .selectors import BoardFilters
from .services import COMMENT_MAX_LENGTH, URGENCIES


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


class TeamChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator

    def label_from_instance(self, team):
        return team.name if team.has_board else f"{team.name} (no board yet)"


class SupportRequestForm(forms.Form):
    """A request for help from another team: what the service takes, in the words of the
    team pages' "how to file a support request"."""

    team = TeamChoiceField(
        queryset=Team.objects.none(), to_field_name="slug", empty_label="Choose a team"
    )
    summary = forms.CharField(max_length=200, help_text="A short description, as a title.")
    background = forms.CharField(
        required=False,
        max_length=20_000,
        label="Background, context and the challenge",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    impact = forms.CharField(
        required=False,
        max_length=20_000,
        help_text="Who or what is blocked, and since when.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    extra = forms.CharField(
        required=False,
        max_length=20_000,
        label="Anything else that helps",
        help_text="Links, logs, what you tried.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    urgency = forms.ChoiceField(
        choices=list(URGENCIES.items()), initial="normal", widget=forms.RadioSelect
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def add_error(self, field, error):
        """Field errors (the form's own and the service's) mark their field for assistive
        technology: aria-invalid, and described by the error's text."""
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )


class BoardActionForm(forms.Form):
    """An action on one board (pulling its next ticket needs nothing more)."""

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.board = board


class TicketOfBoardForm(BoardActionForm):
    """Names one ticket of the board (what each triage action acts on)."""

    ticket = forms.ModelChoiceField(
        queryset=Ticket.objects.none(),
        error_messages={"invalid_choice": "That ticket is not on this board any more."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticket"].queryset = Ticket.objects.filter(board=self.board).select_related(
            "board__team", "column"
        )


class TriageUpdateForm(TicketOfBoardForm):
    """A triage change of a ticket's kind, severity or priority class (those sent), made from
    the version the page showed."""

    version = forms.IntegerField(min_value=1)
    kind = forms.ChoiceField(required=False, choices=[("", "—"), *Ticket.Kind.choices])
    severity = forms.ChoiceField(required=False, choices=[("", "—"), *Ticket.Severity.choices])
    priority_class = forms.ChoiceField(
        required=False, choices=[("", "—"), *Ticket.PriorityClass.choices], label="Priority"
    )

    def changes(self) -> dict:
        names = ("kind", "severity", "priority_class")
        return {name: self.cleaned_data[name] for name in names if self.cleaned_data[name]}


class TriageRouteForm(TicketOfBoardForm):
    board = forms.ModelChoiceField(
        queryset=Board.objects.none(),
        error_messages={"invalid_choice": "Choose another team's board."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = Board.objects.exclude(pk=self.board.pk)


class ColumnOfBoardForm(BoardActionForm):
    column = forms.ModelChoiceField(queryset=Column.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = Column.objects.filter(board=self.board)
