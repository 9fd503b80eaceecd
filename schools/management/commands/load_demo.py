import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from protocols.services import load_demo_procedure, load_demo_protocols
from schools.services import load_demo

FIXTURES = settings.BASE_DIR / "fixtures"
DEMO_FILE = FIXTURES / "demo.json"
PROTOCOLS_FILE = FIXTURES / "protocols.json"


class Command(BaseCommand):
    help = (
        "Load the demo organisations, schools, pupils, staff, councils and accounts from "
        "fixtures/demo.json (password: demo), and the five source protocols of "
        "fixtures/protocols.json. What already exists is left alone."
    )

    def handle(self, *args, **options):
        data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        try:
            summary = load_demo(data, today=timezone.localdate())
            specs = json.loads(PROTOCOLS_FILE.read_text(encoding="utf-8"))["protocols"]
            protocols = load_demo_protocols(specs, fixtures_dir=FIXTURES)
            in_procedure = load_demo_procedure(today=timezone.localdate())
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(
            f"Demo data: {summary.organisations} organisations, {summary.schools} schools, "
            f"{summary.groups} groups, {summary.pupils} pupils, {summary.accounts} accounts "
            f"({summary.created} new records), {protocols} protocols imported"
            f"{', 1 version put to a council' if in_procedure else ''}."
        )
