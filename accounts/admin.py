from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class PersonAdmin(UserAdmin):
    list_display = ("username", "display_name", "email", "timezone", "is_active", "is_staff")
    search_fields = ("username", "display_name", "email", "first_name", "last_name")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Profile", {"fields": ("display_name", "timezone")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Profile", {"fields": ("email", "display_name", "timezone")}),
    )
