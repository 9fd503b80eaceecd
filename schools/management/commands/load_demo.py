import json

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
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
        # The demo's notices (steps opened, receipts) are kept in memory and only counted:
        # printing a hundred e-mails to the console hides what the command did.
        earlier = getattr(mail, "outbox", None)  # a test's outbox stays the test's
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            try:
                summary = load_demo(data, today=today)
                # Each app loads its own demo on top of the schools and people, in this order.
                reports = [import_string(path)(today) for path in settings.PORTAL_DEMO_LOADERS]
            except ValidationError as error:
                raise CommandError("\n".join(error.messages)) from error
            mails = len(mail.outbox)
        if earlier is None:
            del mail.outbox
        else:
            mail.outbox = earlier
        self.stdout.write(f"{mails} demo e-mail(s) kept in memory, not sent.")
        self.stdout.write(
            f"Demo data: {summary.organisations} organisations, {summary.schools} schools, "
            f"{summary.groups} groups, {summary.pupils} pupils, {summary.accounts} accounts "
            f"({summary.created} new records), {', '.join(reports)}."
        )
