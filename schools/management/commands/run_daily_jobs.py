from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from schools.jobs import run_daily_jobs


class Command(BaseCommand):
    help = (
        "The daily jobs of every app, for cron (settings.PORTAL_DAILY_JOBS): reminders, "
        "birthdays, retention. Safe to run more than once a day: nothing is sent twice. One "
        "app failing does not stop the others; the command then exits non-zero."
    )

    def handle(self, *args, **options):
        outcomes = run_daily_jobs(timezone.localdate())
        for outcome in outcomes:
            app = outcome.job.split(".")[0]
            if outcome.ok:
                self.stdout.write(f"{app}: {outcome.report}")
            else:
                self.stderr.write(f"{app}: FAILED: {outcome.report}")
        failed = [o.job for o in outcomes if not o.ok]
        if failed:
            raise CommandError(f"Daily jobs failed: {', '.join(failed)}")
        self.stdout.write(f"Daily jobs done: {len(outcomes)} job(s) ran.")
