from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _give_new_stichting_its_categories(sender, instance, created, raw=False, **kwargs):
    """A new stichting can report incidents at once: it gets the default categories."""
    if created and not raw:
        from incidents import workflow

        workflow.ensure_default_categories(instance)


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        # Stichtingen are created in the admin or by load_demo, in schools, which knows
        # nothing of incidents; this is the one place the categories can follow.
        post_save.connect(
            _give_new_stichting_its_categories,
            sender="schools.Stichting",
            dispatch_uid="incidents-default-categories",
        )
