"""Private files: where the portal keeps them and how it hands them out.

Every file the portal keeps (stored protocol PDFs, supporting documents of a proposal,
incident attachments) lives in the storage named `private` in `settings.STORAGES`: a folder
under MEDIA_ROOT that no URL serves, or an S3-compatible bucket without public access
(django-storages). A view checks who asks first and then calls `serve()`, the one way out:
from disk it streams the file; from S3 it redirects to a signed URL that expires within
seconds (`S3_URL_SECONDS`), so nothing the browser sees or keeps opens the file later.
"""

from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.db.models.fields.files import FieldFile
from django.dispatch import receiver
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header

PRIVATE = "private"
NO_STORE = "private, no-store"


class PrivateFileSystemStorage(FileSystemStorage):
    """MEDIA_ROOT/private on local disk, without a URL: files leave only through `serve()`."""

    def __init__(self, **kwargs):
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    @property
    def base_location(self):
        # Read per use, so a changed MEDIA_ROOT (tests, one per test) is followed.
        return self._value_or_setting(self._location, PurePath(settings.MEDIA_ROOT) / "private")

    @property
    def location(self):
        return str(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view.")


class _PrivateStorage(LazyObject):
    """STORAGES["private"], looked up when first used (and again after settings change)."""

    def _setup(self):
        self._wrapped = storages[PRIVATE]


private_files = _PrivateStorage()


def private_storage() -> Storage:
    """The `storage=` of every private FileField: a callable keeps the choice out of migrations."""
    return private_files


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        private_files._wrapped = empty


def signs_urls(storage) -> bool:
    """True for S3-compatible storage, whose files are handed out as signed, short-lived URLs."""
    if isinstance(storage, FileSystemStorage):
        return False
    # Imported here: boto3 is loaded only by a deployment that stores files in S3.
    from storages.backends.s3 import S3Storage

    return isinstance(storage, S3Storage)


def serve(
    file: FieldFile,
    *,
    filename: str,
    content_type: str | None = None,
    as_attachment: bool = True,
    public: bool = False,
) -> HttpResponse:
    """Hand a stored file to whoever passed the view's access check; call only after it.

    From local disk: the file itself, named `filename`, never sniffed by the browser and never
    kept by a cache unless `public` (the adopted protocol's PDF, which anyone may read). From
    S3: a redirect to a URL signed for `S3_URL_SECONDS` that asks S3 for the same name and type;
    the redirect itself is never cached, since the signature runs out.
    """
    if signs_urls(file.storage):
        if not file.storage.querystring_auth:
            raise ValueError("Private files in S3 are handed out only as signed URLs.")
        disposition = content_disposition_header(as_attachment, filename)
        parameters = {"ResponseContentDisposition": disposition, "ResponseCacheControl": NO_STORE}
        if content_type:
            parameters["ResponseContentType"] = content_type
        response = HttpResponseRedirect(file.storage.url(file.name, parameters=parameters))
        response["Cache-Control"] = NO_STORE
        return response
    response = FileResponse(
        file.open("rb"), as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    if not public:
        response["Cache-Control"] = NO_STORE
    return response
