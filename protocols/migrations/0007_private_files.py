"""Stored PDFs and supporting documents move into STORAGES["private"] (issue 12).

Before, stored PDFs lay in MEDIA_ROOT/protocols/ and supporting documents in
MEDIA_ROOT/private/proposals/ of the default storage. Each file found there moves into the
private storage (MEDIA_ROOT/private/ on disk, or the bucket when S3 is configured before
migrating); a supporting document on disk is already in place and only drops "private/" from
its name.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import migrations, models

import protocols.models
import schools.files


def _move(old, name, new_name):
    """Move one file from the old storage; returns its name in the private storage."""
    private = schools.files.private_files
    if not old.exists(name):
        return new_name
    if isinstance(private, FileSystemStorage) and private.path(new_name) == old.path(name):
        return new_name
    with old.open(name, "rb") as file:
        saved = private.save(new_name, file)
    old.delete(name)
    return saved


def move_into_private_storage(apps, schema_editor):
    old = FileSystemStorage(location=settings.MEDIA_ROOT)
    for model in ["StoredPdf", "ProposalDocument"]:
        Model = apps.get_model("protocols", model)
        for pk, name in Model.objects.exclude(file="").values_list("pk", "file"):
            new_name = _move(old, name, name.removeprefix("private/"))
            if new_name != name:
                Model.objects.filter(pk=pk).update(file=new_name)


class Migration(migrations.Migration):
    dependencies = [
        ("protocols", "0006_not_applicable_in_english"),
    ]

    operations = [
        migrations.AlterField(
            model_name="proposaldocument",
            name="file",
            field=models.FileField(
                storage=schools.files.private_storage,
                upload_to=protocols.models._document_path,
                verbose_name="file",
            ),
        ),
        migrations.AlterField(
            model_name="storedpdf",
            name="file",
            field=models.FileField(
                storage=schools.files.private_storage,
                upload_to=protocols.models._pdf_path,
                verbose_name="file",
            ),
        ),
        # Files cannot move back by themselves; the old layout is not restored.
        migrations.RunPython(move_into_private_storage, migrations.RunPython.noop),
    ]
