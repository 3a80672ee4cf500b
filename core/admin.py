"""Admin pieces every app uses."""

from django.contrib import admin


class RecordInline(admin.TabularInline):
    """Rows that are a record (steps taken, comments, activity): shown, never added, changed
    or removed here. Set `fields`; they are all read-only."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False
