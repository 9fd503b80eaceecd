"""Stored PDFs and supporting documents are private files: handed out only after the check.

On local disk the view streams the file; in S3 (moto's in-process mock) it redirects to a
URL signed for S3_URL_SECONDS, and no page ever shows a URL of the bucket.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from protocols import workflow
from protocols.models import ProcedureStep, ProposalDocument, StepKind, StoredPdf
from tests.conftest import S3_BUCKET, S3_URL_SECONDS
from tests.factories import CouncilMemberFactory
from tests.protocols.helpers import advance_to_consent, submit, today, votes_of_three

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.7 toelichting"


def _add_document(client, director, version):
    client.force_login(director)
    upload = SimpleUploadedFile("toelichting.pdf", CONTENT, content_type="application/pdf")
    url = reverse("protocols:document_add", args=[version.pk])
    client.post(url, {"title": "Toelichting GMR", "file": upload})
    return ProposalDocument.objects.get()


def _download_url(document):
    return reverse("protocols:document_download", args=[document.version_id, document.pk])


def _adopt(draft, director, board_member, gmr_of_six, django_capture_on_commit_callbacks):
    """The version goes through the whole procedure; its PDF is stored as adoption does."""
    consent = advance_to_consent(draft, director)
    gmr_member = gmr_of_six.members.filter(geleding="parents").first().user
    workflow.record_decision(consent, by=gmr_member, decided_on=today(), votes=votes_of_three())
    approval = draft.steps.get(kind=StepKind.APPROVAL)
    workflow.mark_not_applicable(approval, by=director, reason="Geen besluit in de statuten.")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.adopt(draft, by=board_member, decided_on=today(), effective_date=today())
    assert draft.steps.get(kind=StepKind.ADOPTION).outcome == ProcedureStep.Outcome.ADOPTED


def _signed(response):
    """The redirect's target and its query, for a response that hands out an S3 object."""
    location = urlsplit(response["Location"])
    return location, {key: values[0] for key, values in parse_qs(location.query).items()}


# --- local disk ---------------------------------------------------------------------------


def test_document_on_disk_is_served_to_the_council_and_never_cached(
    client, director, draft, gmr_of_six, media_root
):
    document = _add_document(client, director, draft)
    client.force_login(gmr_of_six.members.first().user)
    response = client.get(_download_url(document))
    assert (
        b"".join(response.streaming_content),
        response["Content-Disposition"],
        response["X-Content-Type-Options"],
        response["Cache-Control"],
    ) == (CONTENT, 'attachment; filename="Toelichting GMR.pdf"', "nosniff", "private, no-store")


def test_document_on_disk_lies_outside_every_url(client, director, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = _add_document(client, director, draft)
    assert (tmp_path / "private" / document.file.name).read_bytes() == CONTENT
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018


def test_stored_pdf_on_disk_lies_outside_every_url(
    client, director, board_member, draft, gmr_of_six, school, settings, tmp_path,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    _adopt(draft, director, board_member, gmr_of_six, django_capture_on_commit_callbacks)
    stored = StoredPdf.objects.get(version=draft, school=school)
    response = client.get(reverse("protocols:public_pdf", args=[school.slug]))
    assert (tmp_path / "private" / stored.file.name).read_bytes() == b"".join(
        response.streaming_content
    )


# --- S3 -----------------------------------------------------------------------------------


def test_document_in_s3_is_a_signed_short_lived_redirect_for_the_council(
    client, director, draft, gmr_of_six, s3_bucket, tmp_path
):
    document = _add_document(client, director, draft)
    client.force_login(gmr_of_six.members.first().user)
    response = client.get(_download_url(document))
    location, query = _signed(response)
    stored = s3_bucket.get_object(Bucket=S3_BUCKET, Key=document.file.name)["Body"].read()
    assert (response.status_code, location.hostname, location.path) == (
        302,
        f"{S3_BUCKET}.s3.amazonaws.com",
        f"/{document.file.name}",
    )
    assert (
        query["X-Amz-Expires"],
        "X-Amz-Signature" in query,
        query["response-content-disposition"],
        response["Cache-Control"],
    ) == (
        str(S3_URL_SECONDS),
        True,
        'attachment; filename="Toelichting GMR.pdf"',
        "private, no-store",
    )
    # The bytes went to the bucket, not to local disk; the signed URL opens them, the bare
    # object URL does not, and the object carries no grant beyond its owner's.
    grants = s3_bucket.get_object_acl(Bucket=S3_BUCKET, Key=document.file.name)["Grants"]
    assert (stored, list(tmp_path.rglob("*.pdf"))) == (CONTENT, [])
    assert requests.get(response["Location"], timeout=5).content == CONTENT
    assert requests.get(response["Location"].split("?")[0], timeout=5).status_code == 403
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]


@pytest.mark.parametrize("who", ["outsider", "parent"])
def test_document_in_s3_is_404_without_a_url_for_outsiders(
    client, request, director, draft, school, s3_bucket, who
):
    document = _add_document(client, director, draft)
    if who == "parent":
        from tests.factories import GuardianFactory, PupilFactory

        user = GuardianFactory(pupil=PupilFactory(school=school)).user
    else:
        user = request.getfixturevalue("outsider")
    client.force_login(user)
    response = client.get(_download_url(document))
    assert (response.status_code, response.has_header("Location")) == (404, False)
    assert S3_BUCKET not in response.content.decode()


def test_pages_of_a_proposal_in_s3_show_no_bucket_url(
    client, director, draft, gmr_of_six, s3_bucket
):
    _add_document(client, director, draft)
    submit(draft, director)
    member = CouncilMemberFactory(council=gmr_of_six).user
    pages = []
    for user in [director, member]:
        client.force_login(user)
        pages.append(client.get(draft.get_absolute_url()).content.decode())
    assert [
        ("Toelichting GMR" in page, S3_BUCKET in page, "amazonaws" in page) for page in pages
    ] == [(True, False, False)] * 2


def test_stored_pdf_of_an_adoption_in_s3_is_a_signed_redirect_and_no_page_shows_the_bucket(
    client, director, board_member, draft, gmr_of_six, school, s3_bucket, tmp_path,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    _adopt(draft, director, board_member, gmr_of_six, django_capture_on_commit_callbacks)
    stored = StoredPdf.objects.get(version=draft, school=school)
    body = s3_bucket.get_object(Bucket=S3_BUCKET, Key=stored.file.name)["Body"].read()
    page = client.get(reverse("protocols:public_school", args=[school.slug])).content.decode()
    response = client.get(reverse("protocols:public_pdf", args=[school.slug]))
    location, query = _signed(response)
    assert (body[:5], list(tmp_path.rglob("*.pdf"))) == (b"%PDF-", [])
    assert (response.status_code, location.path, query["X-Amz-Expires"]) == (
        302,
        f"/{stored.file.name}",
        str(S3_URL_SECONDS),
    )
    assert (query["response-content-type"], response["Cache-Control"]) == (
        "application/pdf",
        "private, no-store",
    )
    assert (S3_BUCKET in page, "amazonaws" in page) == (False, False)


def test_admin_shows_a_private_file_by_name_without_a_url(
    client, director, draft, admin_user, s3_bucket
):
    document = _add_document(client, director, draft)
    client.force_login(admin_user)
    url = reverse("admin:protocols_proposaldocument_change", args=[document.pk])
    page = client.get(url).content.decode()
    assert (document.file.name in page, S3_BUCKET in page, "amazonaws" in page) == (
        True,
        False,
        False,
    )


def test_migration_moves_files_of_the_old_layout_into_private_storage(
    client, director, board_member, draft, gmr_of_six, school, settings, tmp_path,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """Before 0006, stored PDFs lay in MEDIA_ROOT/protocols/, documents in MEDIA_ROOT/private/."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("protocols.migrations.0007_private_files")
    settings.MEDIA_ROOT = tmp_path
    document = _add_document(client, director, draft)
    _adopt(draft, director, board_member, gmr_of_six, django_capture_on_commit_callbacks)
    stored = StoredPdf.objects.get(version=draft, school=school)
    pdf = (tmp_path / "private" / stored.file.name).read_bytes()
    # Put both back where the old layout kept them.
    (tmp_path / stored.file.name).parent.mkdir(parents=True)
    (tmp_path / "private" / stored.file.name).rename(tmp_path / stored.file.name)
    ProposalDocument.objects.filter(pk=document.pk).update(file=f"private/{document.file.name}")
    migration.move_into_private_storage(apps, None)
    document.refresh_from_db()
    stored.refresh_from_db()
    with document.file.open("rb") as moved_document, stored.file.open("rb") as moved_pdf:
        moved = (moved_document.read(), moved_pdf.read())
    assert (moved, list((tmp_path / "protocols").rglob("*.pdf"))) == ((CONTENT, pdf), [])
