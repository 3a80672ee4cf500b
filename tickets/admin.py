"""Boards, their columns (dragged, or numbered, into order), labels and tickets in the admin.

Boards and columns are set up by the team's managers; tickets are worked by its members. A
ticket's column and place are changed on the board (a move), not here; its other fields are
saved through the service, so the version, the activity log and paging stay right. The
Board admin also takes a CSV export of Jira or GitHub issues (services.tickets_import)."""

from adminsortable2.admin import CustomInlineFormSet, SortableAdminBase, SortableTabularInline
from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from core.admin import RecordInline
from core.exceptions import NotAllowed

from . import permissions, services
from .models import Activity, Board, Column, Comment, Label, Ticket


class ColumnFormSet(CustomInlineFormSet):
    def clean(self):
        super().clean()
        for entry in self.forms:
            column = entry.instance
            if entry.cleaned_data.get("DELETE") and column.pk and column.tickets.exists():
                raise forms.ValidationError(
                    f"{column.name} still holds tickets: move them before removing it."
                )


class ColumnInline(SortableTabularInline):
    model = Column
    formset = ColumnFormSet
    ordering = ("position",)
    extra = 0
    fields = ("name", "kind", "wip_limit", "wip_mode")


MAX_IMPORT_BYTES = 5 * 1024 * 1024


class TicketImportForm(forms.Form):
    board = forms.ModelChoiceField(
        queryset=Board.objects.select_related("team"), help_text="The tickets land on this board."
    )
    file = forms.FileField(
        label="CSV file",
        help_text="An export of Jira or GitHub issues. Importing it again updates the tickets "
        "whose rows changed and creates no duplicates.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is over 5 MB: split the export.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("The file is not UTF-8 text: export it as CSV.") from exc


@admin.register(Board)
class BoardAdmin(SortableAdminBase, SimpleHistoryAdmin):
    list_display = ("name", "key_prefix", "team", "version")
    list_filter = ("team",)
    search_fields = ("name", "key_prefix", "team__name")
    list_select_related = ("team",)
    autocomplete_fields = ["team"]
    fields = ("team", "name", "key_prefix")
    inlines = [ColumnInline]

    def get_readonly_fields(self, request, obj=None):
        return ("team", "key_prefix") if obj else ()  # keys already given stay valid

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="tickets_board_import"), *super().get_urls()]

    def import_view(self, request):
        """Import tickets from a CSV file onto a board, and show what was done with each row."""
        if not (
            request.user.has_perm("tickets.add_ticket")
            or request.user.has_perm("tickets.change_ticket")
        ):
            raise PermissionDenied("Importing tickets needs the right to add or change tickets.")
        report = None
        if request.method == "POST":
            form = TicketImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    report = services.tickets_import(
                        board=form.cleaned_data["board"],
                        text=form.cleaned_data["file"],
                        user=request.user,
                    )
                except NotAllowed as exc:
                    form.add_error("board", exc.message)
                except ValidationError as exc:  # nothing of the file was imported
                    found = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
                    for field, errors in found.items():
                        form.add_error(field if field in form.fields else None, errors)
        else:
            form = TicketImportForm(initial={"board": request.GET.get("board")})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import tickets from CSV",
            "form": form,
            "report": report,
            "board": form.cleaned_data.get("board") if report else None,
        }
        return TemplateResponse(request, "admin/tickets/board/import.html", context)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.board_can_manage(user=request.user, team=obj.team)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return permissions.board_can_manage(user=request.user, team=obj.team)

    def save_model(self, request, obj, form, change):
        if not change:
            permissions.board_manage_check(user=request.user, team=obj.team)
        obj._history_user = request.user
        super().save_model(request, obj, form, change)


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


class CommentInline(RecordInline):
    model = Comment
    fields = ("author", "markdown", "created_at")


class ActivityInline(RecordInline):
    model = Activity
    fields = ("at", "user", "action", "changes")


class TicketAdminForm(forms.ModelForm):
    """Carries the version the page was opened at: saving over a newer one is refused."""

    base_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        current = Ticket.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
        if cleaned.get("base_version") != current.first():
            raise forms.ValidationError(
                "Someone changed this ticket since you opened it: reload to see their change."
            )
        return cleaned


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    form = TicketAdminForm
    list_display = ("key", "title", "board", "column", "kind", "severity", "assignee")
    list_filter = ("board", "kind", "severity", "priority_class")
    search_fields = ("title", "description")
    list_select_related = ("board", "column", "assignee")
    autocomplete_fields = ["assignee"]
    fields = (
        "board",
        "column",
        "title",
        "description",
        "kind",
        "severity",
        "priority_class",
        "labels",
        "assignee",
        "reporter",
        "version",
        "base_version",
    )
    readonly_fields = ("board", "column", "reporter", "version")
    filter_horizontal = ("labels",)
    inlines = [CommentInline, ActivityInline]

    def has_add_permission(self, request):
        return False  # filed on the board, through the API or the support-request form

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.ticket_can_work(user=request.user, board=obj.board)

    def has_delete_permission(self, request, obj=None):
        return False  # tickets are closed (moved to Done), not deleted

    def save_model(self, request, obj, form, change):
        services.ticket_update(
            ticket=obj,
            user=request.user,
            version=form.cleaned_data["base_version"],
            labels=[label.name for label in form.cleaned_data["labels"]],
            **{name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS},
        )
