"""The protocols app's part of the daily job (`run_daily_jobs`)."""

from datetime import date

from protocols import notices, tasks


def daily(today: date) -> str:
    """Send the procedure's reminders due on `today` (see `notices.send_daily_reminders`) and
    store the PDFs of adopted versions that the work after their adoption did not store."""
    sent = notices.send_daily_reminders(today=today)
    stored = tasks.store_missing_pdfs()
    return f"{sent} reminder(s) sent." + (f" {stored} PDF(s) stored." if stored else "")
