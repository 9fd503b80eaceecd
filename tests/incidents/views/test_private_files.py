"""Incident evidence in S3 (moto's in-process mock): handed out only to those who handle it.

The same views on local disk are tested in test_actions.py.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import S3_BUCKET, S3_URL_SECONDS
from tests.incidents.views.conftest import OUTSIDERS

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def attachment(client, anti_bullying, incident, s3_bucket):
    """A screenshot uploaded on the case page, as the coordinator does."""
    client.force_login(anti_bullying)
    upload = SimpleUploadedFile("scherm foto.png", PNG, content_type="image/png")
    url = reverse("incidents:incident_attachment_add", args=[incident.pk])
    client.post(url, {"file": upload, "description": "Schermafdruk"})
    client.logout()
    return incident.attachments.get()


def _url(attachment):
    return reverse("incidents:incident_attachment", args=[attachment.incident_id, attachment.pk])


def test_attachment_in_s3_is_a_signed_short_lived_redirect_for_a_handler(
    client, anti_bullying, attachment, s3_bucket, tmp_path
):
    client.force_login(anti_bullying)
    response = client.get(_url(attachment))
    location = urlsplit(response["Location"])
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    stored = s3_bucket.get_object(Bucket=S3_BUCKET, Key=attachment.file.name)["Body"].read()
    assert (response.status_code, location.path, stored, list(tmp_path.rglob("*.png"))) == (
        302,
        f"/{attachment.file.name}",
        PNG,
        [],
    )
    assert (
        query["X-Amz-Expires"],
        "X-Amz-Signature" in query,
        query["response-content-type"],
        query["response-content-disposition"],
    ) == (str(S3_URL_SECONDS), True, "image/png", 'attachment; filename="scherm foto.png"')


@pytest.mark.parametrize("who", ["teacher", *OUTSIDERS])
def test_attachment_in_s3_is_404_without_a_url_for_the_reporter_and_outsiders(
    client, request, who, attachment
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(_url(attachment))
    assert (response.status_code, response.has_header("Location")) == (404, False)
    assert S3_BUCKET not in response.content.decode()


def test_case_page_with_an_attachment_in_s3_shows_no_bucket_url(client, anti_bullying, attachment):
    client.force_login(anti_bullying)
    page = client.get(attachment.incident.get_absolute_url()).content.decode()
    assert ("scherm foto.png" in page, _url(attachment) in page) == (True, True)
    assert (S3_BUCKET in page, "amazonaws" in page) == (False, False)
