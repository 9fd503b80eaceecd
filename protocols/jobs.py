"""The protocols app's part of the daily job (`run_daily_jobs`)."""

from datetime import date

from protocols import notices


def daily(today: date) -> str:
    """Send the procedure's reminders due on `today` (see `notices.send_daily_reminders`)."""
    sent = notices.send_daily_reminders(today=today)
    return f"{sent} reminder(s) sent."
