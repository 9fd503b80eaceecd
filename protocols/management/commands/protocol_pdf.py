from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from protocols.models import ProtocolVersion
from protocols.pdf import render_version_pdf
from schools.models import School


class Command(BaseCommand):
    help = "Write the PDF of a protocol version (for one school with --school)."

    def add_arguments(self, parser):
        parser.add_argument("version_id", type=int)
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--school", help="slug of the school to fill in placeholders for")

    def handle(self, *args, version_id, output, school, **options):
        version = ProtocolVersion.objects.select_related("protocol").filter(pk=version_id).first()
        if version is None:
            raise CommandError(f"No protocol version with id {version_id}.")
        reader = None
        if school:
            reader = School.objects.filter(slug=school).first()
            if reader is None:
                raise CommandError(f"No school with slug {school!r}.")
        try:
            data = render_version_pdf(version, school=reader)
        except ValueError as error:
            raise CommandError(str(error)) from None
        output.write_bytes(data)
        self.stdout.write(f"Wrote {output} ({len(data) // 1024} KiB).")
