from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from schools import edexml, pupil_import
from schools.models import School
from schools.pupil_import import ImportRefused, import_pupils, make_plan, summarise

# Each parser refuses more than its own limit; reading one byte more tells it the file is larger.
MAX_BYTES = max(pupil_import.MAX_BYTES, edexml.MAX_BYTES)


class Command(BaseCommand):
    help = (
        "Import pupils and their parents from the pupil administration's CSV export, or pupils, "
        "groups and teachers from its EDEXML export, into one school: new pupils are added, "
        "known ones (same leerlingnummer or EDEXML key) updated, new accounts invited by "
        "e-mail. One bad row means nothing is written; every bad row is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="EDEXML file, or CSV file as Excel saves it (; or , separated)."
        )
        parser.add_argument("--school", required=True, help="The school's slug.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing."
        )
        parser.add_argument(
            "--confirm-left",
            action="store_true",
            help="Mark pupils missing from the file as left today.",
        )

    def handle(self, *args, file, school, dry_run, confirm_left, **options):
        try:
            school = School.objects.get(slug=school)
        except School.DoesNotExist:
            raise CommandError(f"No school with slug {school!r}.") from None
        try:
            with open(file, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)  # parse() refuses more; don't load a huge file
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        today = timezone.localdate()
        parsed = edexml.read_export(data, today=today)
        if dry_run:
            plan = make_plan(parsed, school=school, today=today)
            if not plan.ok:
                raise CommandError(self._refusal(plan))
        else:
            try:
                plan, _summary = import_pupils(
                    parsed, school=school, today=today, confirm_left=confirm_left
                )
            except ImportRefused as refused:
                raise CommandError(self._refusal(refused.plan)) from None
        summary = summarise(plan, confirm_left=confirm_left, written=not dry_run)
        line = _(
            "%(school)s: %(new)s new, %(changed)s changed, %(unchanged)s unchanged, "
            "%(left)s marked as left, %(groups)s groups created, %(accounts)s accounts created "
            "and invited, %(matched)s existing accounts linked."
        ) % {
            "school": school.name,
            "new": summary.new,
            "changed": summary.changed,
            "unchanged": summary.unchanged,
            "left": summary.left,
            "groups": summary.groups_created,
            "accounts": summary.accounts_created,
            "matched": summary.accounts_matched,
        }
        if isinstance(parsed, edexml.EdexFile):
            line += " " + _(
                "Teachers: %(new)s added, %(changed)s updated, %(skipped)s without e-mail "
                "address skipped. EDEXML holds no parents: import them with the CSV export."
            ) % {
                "new": summary.teachers_new,
                "changed": summary.teachers_changed,
                "skipped": len(parsed.teachers_skipped),
            }
        if summary.left_unconfirmed:
            line += " " + _(
                "%(count)s pupils are not in the file; add --confirm-left to mark them as left."
            ) % {"count": summary.left_unconfirmed}
        if dry_run:
            line += " " + _("Dry run: nothing was written.")
        self.stdout.write(line)

    def _refusal(self, plan) -> str:
        lines = [
            _("Nothing was imported: the file has %(count)s problem(s).")
            % {"count": len(plan.errors)}
        ]
        lines += [error.message for error in plan.errors]
        return "\n".join(lines)
