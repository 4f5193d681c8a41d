"""The clinic's admin site: Django's, without the navigation sidebar.

The sidebar repeats the index's list of every app and model on every admin page, each model
with its own permission checks: on the lists of the big tables that was a fifth of a page's
time. The breadcrumbs lead back to the index, which still lists everything.
"""

from django.contrib import admin


class ClinicAdminSite(admin.AdminSite):
    site_header = "Scar clinic administration"
    site_title = "Scar clinic admin"
    enable_nav_sidebar = False

    def each_context(self, request) -> dict:
        """AdminSite.each_context without building `available_apps`, which only the sidebar
        reads (the index and app pages build their own list)."""
        if self.enable_nav_sidebar:
            return super().each_context(request)
        script_name = request.META["SCRIPT_NAME"]
        site_url = script_name if self.site_url == "/" and script_name else self.site_url
        return {
            "site_title": self.site_title,
            "site_header": self.site_header,
            "site_url": site_url,
            "has_permission": self.has_permission(request),
            "available_apps": [],
            "is_popup": False,
            "is_nav_sidebar_enabled": False,
            "log_entries": self.get_log_entries(request),
        }
