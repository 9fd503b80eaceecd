from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Schools and people")

    def ready(self):
        # The sign-in log's receivers and the deploy checks register themselves on import.
        from schools import checks, retries, security  # noqa: F401

        retries.connect()
