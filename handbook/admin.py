from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import permissions, services
from .models import ContactRoute, Meeting, Membership, Page, PageImage, Team, Workstream


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class ContactRouteInline(admin.TabularInline):
    model = ContactRoute
    extra = 1


class WorkstreamInline(admin.TabularInline):
    model = Workstream
    extra = 0
    autocomplete_fields = ["lead"]


class MeetingInline(admin.StackedInline):
    model = Meeting
    extra = 0


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug", "parent")
    search_fields = ("name", "slug", "mission")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline, ContactRouteInline, WorkstreamInline, MeetingInline]

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.team_can_edit(user=request.user, team=obj)

    def save_model(self, request, obj, form, change):
        if "parent" in form.changed_data:
            before = Team.objects.get(pk=obj.pk) if change else None
            permissions.team_parent_check(user=request.user, team=before, parent=obj.parent)
        if change:
            # A save here (of the team or its inlines) makes an open edit page's copy stale.
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "team", "role", "joined_at")
    list_filter = ("role", "team")
    search_fields = ("user__username", "user__display_name", "team__name")
    autocomplete_fields = ["user", "team"]
    list_select_related = ("user", "team")


@admin.register(Page)
class PageAdmin(SimpleHistoryAdmin):
    """Pages are saved through the service, so links, search and caches stay right."""

    list_display = ("path", "title", "team", "review_by", "updated_at")
    list_filter = ("team",)
    search_fields = ("path", "title")
    autocomplete_fields = ["team"]
    fields = ("path", "title", "team", "review_by", "markdown")

    def get_readonly_fields(self, request, obj=None):
        return ("path",) if obj else ()

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.page_can_edit(user=request.user, page=obj)

    def save_model(self, request, obj, form, change):
        saved, _ = services.page_save(
            path=obj.path,
            title=obj.title,
            markdown=obj.markdown,
            team=obj.team,
            review_by=obj.review_by,
            user=request.user,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.page_delete(page=obj)

    def delete_queryset(self, request, queryset):
        for page in queryset:
            services.page_delete(page=page)


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ("name", "team", "recurrence", "start", "timezone")
    list_filter = ("team",)
    search_fields = ("name", "topic")


@admin.register(PageImage)
class PageImageAdmin(admin.ModelAdmin):
    """Images uploaded in the editor: to look at, and to remove one (with its file). They are
    added only from the editor, which checks the type and size."""

    list_display = ("__str__", "team", "page", "uploaded_by", "size", "created_at")
    list_filter = ("team",)
    search_fields = ("name", "page__path")
    readonly_fields = ("team", "page", "file", "content_type", "size", "name", "uploaded_by")

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        services.page_image_delete(image=obj)

    def delete_queryset(self, request, queryset):
        for image in queryset:
            services.page_image_delete(image=image)
