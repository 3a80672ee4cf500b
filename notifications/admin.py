from django.contrib import admin

from .models import Channel, Delivery


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "team", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "target")
    autocomplete_fields = ["team"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("key", "channel", "status", "attempts", "sent_at", "created_at")
    list_filter = ("status", "channel__kind")
    search_fields = ("key",)
    list_select_related = ("channel",)
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False
