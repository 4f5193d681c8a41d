from django.contrib import admin

from clinic.admin_history import HistoryAdmin
from clinic.lib.admin import SuperuserDeleteOnly
from clinic.paging import LargeTableAdmin
from scheduling.models import Appointment, Room


@admin.register(Room)
class RoomAdmin(SuperuserDeleteOnly, HistoryAdmin):
    list_display = ["name", "active"]
    list_filter = ["active"]
    search_fields = ["name"]


@admin.register(Appointment)
class AppointmentAdmin(LargeTableAdmin, SuperuserDeleteOnly, HistoryAdmin):
    """View-only: appointments are booked and changed on the calendar, where the clash checks
    and status rules hold. An edit here would bypass them."""

    list_display = [
        "starts_at",
        "ends_at",
        "patient",
        "dermatologist",
        "room",
        "kind",
        "status",
        "booked_by",
    ]
    list_filter = ["status", "kind", "dermatologist", "room", "starts_at"]
    search_fields = ["patient__mrn", "patient__last_name", "patient__first_name"]
    list_select_related = ["patient", "dermatologist", "room", "booked_by"]
    list_fields = [
        *("starts_at", "ends_at", "patient", "dermatologist", "room", "kind", "status"),
        *("booked_by", "patient__first_name", "patient__last_name", "patient__mrn"),
        *("dermatologist__username", "room__name", "booked_by__username"),
    ]
    readonly_fields = ["booked_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
