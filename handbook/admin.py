from django.contrib import admin

from .models import ContactRoute, Membership, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class ContactRouteInline(admin.TabularInline):
    model = ContactRoute
    extra = 1


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "parent")
    search_fields = ("name", "slug", "mission")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline, ContactRouteInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "team", "role", "joined_at")
    list_filter = ("role", "team")
    search_fields = ("user__username", "user__display_name", "team__name")
    autocomplete_fields = ["user", "team"]
    list_select_related = ("user", "team")
