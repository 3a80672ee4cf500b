"""Boards, their columns (dragged, or numbered, into order), labels and tickets in the admin.

Boards and columns are set up by the team's managers; tickets are worked by its members. A
ticket's column and place are changed on the board (a move), not here; its other fields are
saved through the service, so the version, the activity log and paging stay right."""

from adminsortable2.admin import CustomInlineFormSet, SortableAdminBase, SortableTabularInline
from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import RecordInline

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
