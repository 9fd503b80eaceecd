import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.module_loading import import_string

from schools.services import load_demo

DEMO_FILE = settings.BASE_DIR / "fixtures" / "demo.json"


class Command(BaseCommand):
    help = (
        "Load the demo organisations, schools, pupils, staff, councils and accounts from "
        "fixtures/demo.json (password: demo), then each app's demo data (settings."
        "PORTAL_DEMO_LOADERS: the five source protocols, ...). What already exists is left alone."
    )

    def handle(self, *args, **options):
        data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        today = timezone.localdate()
        try:
            summary = load_demo(data, today=today)
            # Each app loads its own demo on top of the schools and people, in this order.
            reports = [import_string(path)(today) for path in settings.PORTAL_DEMO_LOADERS]
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(
            f"Demo data: {summary.organisations} organisations, {summary.schools} schools, "
            f"{summary.groups} groups, {summary.pupils} pupils, {summary.accounts} accounts "
            f"({summary.created} new records), {', '.join(reports)}."
        )
