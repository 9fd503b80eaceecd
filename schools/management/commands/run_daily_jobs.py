from django.core.management.base import BaseCommand
from django.utils import timezone

from protocols import notices


class Command(BaseCommand):
    help = (
        "The daily jobs, for cron: e-mail the reminders that are due today (terms ending or "
        "ended, WMS art. 32 deadlines, evaluation dates). Safe to run more than once a day: "
        "nothing is sent twice."
    )

    def handle(self, *args, **options):
        # Other apps add their daily jobs here, each returning how many mails it sent.
        sent = notices.send_daily_reminders(today=timezone.localdate())
        self.stdout.write(f"Daily jobs done: {sent} reminder(s) sent.")
