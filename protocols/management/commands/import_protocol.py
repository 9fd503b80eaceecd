from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from protocols import drafts, importer
from schools.models import School, Stichting


class Command(BaseCommand):
    help = "Import a protocol from a .txt or .docx file as a new draft version."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--organisation", required=True, help="slug of the stichting")
        parser.add_argument("--school", help="slug of the school, for a school's own protocol")
        parser.add_argument("--title", default="", help="title (default: the document's own)")

    def handle(self, *args, path, organisation, school, title, **options):
        try:
            stichting = Stichting.objects.get(slug=organisation)
        except Stichting.DoesNotExist:
            raise CommandError(f"No organisation with slug {organisation!r}.") from None
        owner = None
        if school:
            owner = School.objects.filter(slug=school, stichting=stichting).first()
            if owner is None:
                raise CommandError(f"No school {school!r} in organisation {organisation!r}.")
        try:
            result = importer.import_file(path.name, path.read_bytes())
            version = drafts.save_import(
                result=result, stichting=stichting, school=owner, title=title, source_name=path.name
            )
        except ValidationError as error:
            raise CommandError(f"{path}: {error.messages[0]}") from None
        except (OSError, ValueError) as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(
            f"Version {version.pk} ({version.protocol.title}, version {version.number}): "
            f"{len(result.sections)} sections."
        )
