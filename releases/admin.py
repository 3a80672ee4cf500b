"""Releases in the admin. Team leads edit a train here: its rule, milestone template, holidays
and checklist template, and plan it (an action); releases are added and changed through the
same services as the API (a changed release day is a reschedule with a slip, reminders
follow); slips and reminders are a record, shown read-only."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from core.admin import RecordInline

from . import permissions, schedule, selectors, services
from .models import (
    ChecklistTemplateItem,
    Milestone,
    MilestoneTemplate,
    Release,
    Reminder,
    Slip,
    Train,
    TrainHoliday,
)

SIX_MONTHS = timedelta(days=183)


class TrainForm(forms.ModelForm):
    class Meta:
        model = Train
        fields = (
            "team",
            "name",
            "slug",
            "kind",
            "rule",
            "adjustment",
            "start",
            "timezone",
            "holiday_country",
            "reminder_days",
            "channel",
            "version_pattern",
            "first_version",
            "manager_role",
        )

    def clean(self):
        cleaned = super().clean()
        rule, start = cleaned.get("rule"), cleaned.get("start")
        if rule and start:
            try:
                schedule.rule_check(rule, start)
            except schedule.RuleError as exc:
                self.add_error("rule", str(exc))
        return cleaned


class MilestoneTemplateInline(admin.TabularInline):
    model = MilestoneTemplate
    extra = 0
    fields = ("name", "offset_business_days", "position")


class TrainHolidayInline(admin.TabularInline):
    model = TrainHoliday
    extra = 0
    fields = ("date", "name")


class ChecklistTemplateInline(admin.TabularInline):
    model = ChecklistTemplateItem
    extra = 0
    fields = ("title", "milestone_name", "position")


@admin.register(Train)
class TrainAdmin(SimpleHistoryAdmin):
    form = TrainForm
    list_display = ("name", "slug", "kind", "team", "rule", "timezone")
    list_filter = ("kind", "team")
    search_fields = ("name", "slug", "team__name")
    list_select_related = ("team",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MilestoneTemplateInline, TrainHolidayInline, ChecklistTemplateInline]
    actions = ["plan_six_months"]

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.train_can_manage(user=request.user, team=obj.team)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return permissions.train_can_manage(user=request.user, team=obj.team)

    def save_model(self, request, obj, form, change):
        permissions.train_manage_check(user=request.user, team=obj.team)
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        offsets = form.instance.milestone_templates.values_list("offset_business_days", flat=True)
        if not offsets:
            messages.warning(request, "This train has no milestones: add at least release day.")

    @admin.action(description="Plan the selected trains six months ahead")
    def plan_six_months(self, request, queryset):
        until = timezone.localdate() + SIX_MONTHS
        total = 0
        for train in queryset:
            try:
                total += len(services.train_plan(train=train, until=until, user=request.user))
            except ValidationError as error:
                messages.error(request, f"{train}: {'; '.join(error.messages)}")
        messages.success(request, f"{total} release(s) planned.")


class MilestoneInline(RecordInline):
    model = Milestone
    fields = ("name", "offset_business_days", "due", "done_at", "done_by")


class SlipInline(RecordInline):
    model = Slip
    fields = ("milestone", "from_date", "to_date", "reason", "by", "at")


class ReleaseAddForm(forms.ModelForm):
    class Meta:
        model = Release
        fields = ("train", "version", "release_date", "manager")


class ReleaseChangeForm(forms.ModelForm):
    """A new release day must be a business day of the train (as in the API)."""

    class Meta:
        model = Release
        fields = ("release_date", "status", "manager")

    def clean_release_date(self):
        day = self.cleaned_data["release_date"]
        if day != self.instance.release_date:
            calendar = selectors.train_calendar(train=self.instance.train, start=day, end=day)
            if not calendar.is_business_day(day):
                raise forms.ValidationError(f"{day} is not a business day of this train.")
        return day


@admin.register(Release)
class ReleaseAdmin(SimpleHistoryAdmin):
    list_display = ("version", "train", "release_date", "planned_date", "status", "manager")
    list_filter = ("status", "train__kind", "train")
    search_fields = ("version", "train__name")
    list_select_related = ("train", "manager")
    autocomplete_fields = ["manager"]
    date_hierarchy = "release_date"
    inlines = [MilestoneInline, SlipInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ReleaseAddForm if obj is None else ReleaseChangeForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("train", "version", "release_date", "manager")
        return (
            "version",
            "train",
            "release_date",
            "planned_date",
            "status",
            "manager",
            "edited",
            "released_at",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("version", "train", "planned_date", "edited", "released_at")

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.release_can_edit(user=request.user, release=obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return permissions.train_can_manage(user=request.user, team=obj.train.team)

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.release_create(
                train=obj.train,
                version=obj.version,
                release_date=obj.release_date,
                manager=obj.manager,
                user=request.user,
            )
            obj.pk, obj.planned_date = created.pk, created.planned_date
            return
        services.release_update(
            release=obj,
            user=request.user,
            release_date=obj.release_date,
            reason="Changed in the admin",
            manager=obj.manager,
            status=obj.status,
        )


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The reminders planned and sent: a record of what went out, and what was superseded."""

    list_display = ("milestone", "days_before", "channel", "due_at", "status", "sent_at")
    list_filter = ("status",)
    list_select_related = ("milestone__release__train", "channel")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
