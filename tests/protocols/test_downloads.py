"""Every protocol download: Dutch Excel CSV without formulas, and sane file names whatever the
title holds (quotes, dashes, line breaks), through Django's own Content-Disposition."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from protocols import workflow
from protocols.models import ProposalDocument, ProtocolVersion
from tests.factories import ProtocolFactory, ProtocolVersionFactory, SectionFactory

pytestmark = pytest.mark.django_db

TITLE = 'Protocol "sociale media" -\r\nonline = veilig'


@pytest.fixture
def protocol(school):
    return ProtocolFactory(stichting=school.stichting, school=school, title=TITLE)


@pytest.fixture
def adopted(protocol):
    version = ProtocolVersionFactory(protocol=protocol, number=1)
    SectionFactory(version=version, position=1, heading="Inleiding", body="Tekst.")
    workflow.register_adoption(
        version,
        adopted_on=date(2025, 1, 1),
        effective_date=date(2025, 1, 1),
        # Two years on: far enough from today that no evaluation reminder is due.
        evaluation_date=timezone.localdate() + timedelta(days=730),
        change_summary='=HYPERLINK("http://example.org")',
    )
    return version


def _disposition(response) -> str:
    return response["Content-Disposition"]


def test_decision_log_csv_is_for_dutch_excel_without_formulas(client, director, adopted):
    ProtocolVersion.objects.filter(pk=adopted.pk).update(legal_article="@SUM(A1:A2)")
    client.force_login(director)
    response = client.get(reverse("protocols:decision_log_csv", args=[adopted.protocol_id]))
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeffVersie;Status;")
    assert ";'@SUM(A1:A2);" in content


def test_decision_log_csv_has_a_sane_file_name(client, director, adopted):
    client.force_login(director)
    response = client.get(reverse("protocols:decision_log_csv", args=[adopted.protocol_id]))
    assert _disposition(response) == (
        'attachment; filename="Protocol sociale media - online = veilig - besluitenlijst.csv"'
    )


def test_decision_log_pdf_has_a_sane_file_name(client, director, adopted):
    client.force_login(director)
    response = client.get(reverse("protocols:decision_log_pdf", args=[adopted.protocol_id]))
    assert _disposition(response) == (
        'attachment; filename="Protocol sociale media - online = veilig - besluitenlijst.pdf"'
    )


def test_public_pdf_has_a_sane_file_name(client, school, adopted, media_root):
    response = client.get(reverse("protocols:public_pdf", args=[school.slug]))
    assert _disposition(response) == (
        f'attachment; filename="Protocol sociale media - online = veilig - {school.name} - '
        'versie 1.pdf"'
    )


def test_diff_pdf_has_a_sane_file_name(client, director, adopted):
    draft = ProtocolVersionFactory(protocol=adopted.protocol, number=2)
    SectionFactory(version=draft, position=1, heading="Inleiding", body="Nieuwe tekst.")
    client.force_login(director)
    response = client.get(reverse("protocols:version_diff_pdf", args=[draft.pk, adopted.pk]))
    assert _disposition(response) == (
        'attachment; filename="Protocol sociale media - online = veilig - '
        'wijzigingen versie 1 naar 2.pdf"'
    )


def test_document_download_has_a_sane_file_name(client, director, protocol, media_root):
    draft = ProtocolVersionFactory(protocol=protocol, number=1)
    document = ProposalDocument(version=draft, title='Notulen\n"mei"', uploaded_by=director)
    document.file.save('notulen "mei"\nrvt.pdf', ContentFile(b"%PDF-1.7"), save=True)
    client.force_login(director)
    response = client.get(reverse("protocols:document_download", args=[draft.pk, document.pk]))
    assert _disposition(response) == 'attachment; filename="Notulen mei.pdf"'


def test_non_ascii_title_downloads_with_an_encoded_name(client, director, school):
    protocol = ProtocolFactory(stichting=school.stichting, school=school, title="Coördinatie")
    client.force_login(director)
    response = client.get(reverse("protocols:decision_log_csv", args=[protocol.pk]))
    assert _disposition(response) == (
        "attachment; filename*=utf-8''Co%C3%B6rdinatie%20-%20besluitenlijst.csv"
    )
