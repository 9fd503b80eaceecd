"""Supporting documents of a proposal: added by those who draft, read by those who may see it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from protocols import workflow
from protocols.models import ProposalDocument, ProtocolVersion
from schools.models import Council
from tests.factories import (
    CouncilFactory,
    CouncilMemberFactory,
    GuardianFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    PupilFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def add(client, version, name="toelichting.pdf", content=b"%PDF-1.7 toelichting"):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    url = reverse("protocols:document_add", args=[version.pk])
    return client.post(url, {"title": "Toelichting", "file": upload}, follow=True)


def test_director_adds_a_document_the_gmr_member_downloads(client, director, draft, school):
    gmr = CouncilFactory(kind=Council.Kind.GMR, school=None, stichting=school.stichting)
    member = CouncilMemberFactory(council=gmr).user
    client.force_login(director)
    add(client, draft)
    workflow.submit(draft, by=director, change_summary="Nieuw.", legal_basis="consent")
    document = ProposalDocument.objects.get()
    client.force_login(member)
    page = client.get(draft.get_absolute_url()).content.decode()
    response = client.get(reverse("protocols:document_download", args=[draft.pk, document.pk]))
    assert "Toelichting" in page
    assert b"".join(response.streaming_content) == b"%PDF-1.7 toelichting"


def test_other_file_types_are_refused_with_a_clear_message(client, director, draft):
    client.force_login(director)
    html = add(client, draft, name="script.exe").content.decode()
    assert "Voeg een pdf-, Word-, OpenDocument-, Excel-, PowerPoint- of tekstbestand toe." in html
    assert ProposalDocument.objects.count() == 0


def test_no_documents_are_added_to_an_adopted_version(client, director, draft):
    ProtocolVersion.objects.filter(pk=draft.pk).update(status=ProtocolVersion.Status.ADOPTED)
    client.force_login(director)
    add(client, draft)
    assert ProposalDocument.objects.count() == 0


def test_document_add_is_404_for_a_teacher(client, teacher, draft):
    client.force_login(teacher)
    assert add(client, draft).status_code == 404


def test_document_add_is_404_for_outsider(client, outsider, draft):
    client.force_login(outsider)
    assert add(client, draft).status_code == 404


def test_document_download_is_404_for_outsider(client, director, outsider, draft):
    client.force_login(director)
    add(client, draft)
    document = ProposalDocument.objects.get()
    client.force_login(outsider)
    url = reverse("protocols:document_download", args=[draft.pk, document.pk])
    assert client.get(url).status_code == 404


def test_document_download_is_404_for_a_parent_of_the_school(client, director, draft, school):
    client.force_login(director)
    add(client, draft)
    document = ProposalDocument.objects.get()
    client.force_login(GuardianFactory(pupil=PupilFactory(school=school)).user)
    url = reverse("protocols:document_download", args=[draft.pk, document.pk])
    assert client.get(url).status_code == 404


def test_a_document_of_another_version_is_404(client, director, draft, school):
    client.force_login(director)
    add(client, draft)
    document = ProposalDocument.objects.get()
    other = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    url = reverse("protocols:document_download", args=[other.pk, document.pk])
    assert client.get(url).status_code == 404
