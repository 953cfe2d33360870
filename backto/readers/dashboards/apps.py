from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class DashboardsConfig(AppConfig):
    name = "backto.readers.dashboards"
    label = "dashboards"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Import every installed app's `dashboard` module, so that its parts register with
        `backto.core.dashboard.dashboards`. Discovered from here rather than each capability's
        AppConfig.ready: adding a card is then adding one module, with no other file to edit, and
        a capability never names the reader that shows its parts."""
        autodiscover_modules("dashboard")
