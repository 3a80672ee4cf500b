"""The rotas in the admin. Team leads edit a rotation and its roles (dragged, or numbered, into
escalation order), a role's members (in rota order) and overrides here; handoffs and alerts
are a record, shown read-only.

Every save goes through the rules and checks of rotations.permissions and rotations.services,
and ends with the role's plan refreshed, so an admin change takes effect at the next handoff
exactly as a change from the portal or the API does."""

from adminsortable2.admin import CustomInlineFormSet, SortableAdminBase, SortableTabularInline
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from core.admin import RecordInline
from core.exceptions import NotAllowed

from . import permissions, services
from .models import Alert, AlertStep, Handoff, Override, Role, RoleMember, Rotation


class RoleInlineForm(forms.ModelForm):
    def clean_start(self):
        start = self.cleaned_data["start"]
        if self.instance.pk is not None:
            try:
                services.role_start_check(role=self.instance, start=start)
            except ValidationError as error:
                raise forms.ValidationError(error.message_dict["start"]) from error
        return start


class RoleInline(SortableTabularInline):
    model = Role
    form = RoleInlineForm
    ordering = ("position",)
    extra = 0
    fields = (
        "name",
        "handoff_weekday",
        "handoff_time",
        "cycle_weeks",
        "start",
        "escalation_timeout_minutes",
    )
    show_change_link = True  # its members are edited on the role's own page


def _refresh_plans(request, roles) -> None:
    for role in roles:
        services.role_plan_refresh(role=role, user=request.user)


@admin.register(Rotation)
class RotationAdmin(SortableAdminBase, SimpleHistoryAdmin):
    list_display = ("name", "team", "timezone", "channel")
    list_filter = ("team",)
    search_fields = ("name", "team__name")
    list_select_related = ("team", "channel")
    autocomplete_fields = ["team"]
    inlines = [RoleInline]

    def get_readonly_fields(self, request, obj=None):
        return ("team",) if obj else ()  # a rotation stays with its team

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.rotation_can_edit(user=request.user, rotation=obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return permissions.rotation_can_edit(user=request.user, rotation=obj)

    def save_model(self, request, obj, form, change):
        if not change:
            permissions.rotation_create_check(user=request.user, team=obj.team)
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _refresh_plans(request, form.instance.roles.all())


class RoleMemberFormSet(CustomInlineFormSet):
    def clean(self):
        super().clean()
        people = [
            entry.cleaned_data["user"]
            for entry in self.forms
            if entry.cleaned_data.get("user") and not entry.cleaned_data.get("DELETE")
        ]
        try:
            services.role_members_check(team=self.instance.rotation.team, people=people)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["members"]) from error


class RoleMemberInline(SortableTabularInline):
    model = RoleMember
    formset = RoleMemberFormSet
    ordering = ("position",)
    extra = 1
    autocomplete_fields = ["user"]
    fields = ("user",)


@admin.register(Role)
class RoleAdmin(SortableAdminBase, SimpleHistoryAdmin):
    """A role's members, in rota order; from its next handoff on."""

    list_display = ("name", "rotation", "handoff_weekday", "handoff_time", "cycle_weeks")
    list_filter = ("rotation__team",)
    search_fields = ("name", "rotation__name")
    list_select_related = ("rotation__team",)
    readonly_fields = ("rotation",)
    fields = (
        "rotation",
        "name",
        "handoff_weekday",
        "handoff_time",
        "cycle_weeks",
        "start",
        "escalation_timeout_minutes",
    )
    form = RoleInlineForm
    inlines = [RoleMemberInline]

    def has_add_permission(self, request):
        return False  # roles are added on their rotation's page

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.rotation_can_edit(user=request.user, rotation=obj.rotation)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _refresh_plans(request, [form.instance])


class OverrideAddForm(forms.ModelForm):
    class Meta:
        model = Override
        fields = ("role", "user", "start", "end", "reason")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.created = services.override_create(
                role=cleaned["role"],
                person=cleaned["user"],
                start=cleaned["start"],
                end=cleaned["end"],
                reason=cleaned.get("reason", ""),
                user=self.request.user,
            )
        except ValidationError as error:
            self._errors_from(error)
        except NotAllowed as error:
            self.add_error(None, error.message)
        return cleaned

    def _errors_from(self, error: ValidationError) -> None:
        for field, reasons in error.message_dict.items():
            self.add_error("user" if field == "username" else field, reasons)


@admin.register(Override)
class OverrideAdmin(SimpleHistoryAdmin):
    """Overrides are added (through the service, which checks them) and cancelled; what was
    covered stays in the record, so a saved override is not edited."""

    list_display = ("role", "user", "start", "end", "reason", "cancelled_at")
    list_filter = ("role__rotation__team", "role__rotation")
    search_fields = ("user__username", "user__display_name", "reason")
    list_select_related = ("role__rotation__team", "user")
    autocomplete_fields = ["user"]
    actions = ["cancel"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        form = super().get_form(request, obj, change=change, form=OverrideAddForm, **kwargs)

        class RequestForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, request=request, **inner)

        return RequestForm

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("role", "user", "start", "end", "reason", "created_by", "cancelled_at")

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead: the record stays

    def save_form(self, request, form, change):
        return form.instance if change else form.created  # the service saved it

    def save_model(self, request, obj, form, change):
        pass  # saved by the service; nothing of a saved override changes here

    def save_related(self, request, form, formsets, change):
        pass

    @admin.action(description="Cancel the selected overrides from now on")
    def cancel(self, request, queryset):
        done = 0
        for override in queryset.select_related("role__rotation__team"):
            try:
                services.override_cancel(override=override, user=request.user)
                done += 1
            except (ValidationError, NotAllowed) as error:
                self.message_user(request, f"{override}: {error}", messages.WARNING)
        if done:
            self.message_user(request, f"Cancelled {done} override(s).", messages.SUCCESS)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Handoff)
class HandoffAdmin(ReadOnlyAdmin):
    list_display = ("role", "start", "user", "source", "late", "recorded_at")
    list_filter = ("source", "late", "role__rotation")
    list_select_related = ("role__rotation__team", "user")
    date_hierarchy = "start"


class AlertStepInline(RecordInline):
    model = AlertStep
    fields = ("index", "role", "user", "notified_at")


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("summary", "rotation", "created_at", "status", "acknowledged_by")
    list_filter = ("rotation",)
    search_fields = ("summary", "ticket")
    list_select_related = ("rotation__team", "acknowledged_by")
    inlines = [AlertStepInline]
