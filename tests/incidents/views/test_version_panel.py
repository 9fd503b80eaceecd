"""On an adopted protocol's page, beside its evaluation date: the incidents since it took
effect, counted without names (issue 9, "Figures")."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from protocols import workflow
from tests.factories import (
    CategoryFactory,
    IncidentFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(school):
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    SectionFactory(version=version)
    workflow.register_adoption(
        version,
        adopted_on=date(2026, 1, 5),
        effective_date=date(2026, 1, 5),
        evaluation_date=date(2028, 1, 5),
        change_summary="Eerste versie.",
    )
    version.refresh_from_db()
    return version


def test_version_page_shows_the_incidents_since_it_took_effect_without_names(
    client, director, school, adopted
):
    category = CategoryFactory(stichting=school.stichting, name="Cyberpesten")
    IncidentFactory(school=school, categories=[category])
    IncidentFactory(school=school, categories=[category])
    client.force_login(director)
    page = strip_tags(client.get(adopted.get_absolute_url()).content.decode())
    assert "2 incidenten sinds 05-01-2026" in page
    assert "Cyberpesten: 2" in page


def test_a_draft_shows_no_incident_figures(client, director, school):
    draft = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    client.force_login(director)
    page = client.get(reverse("protocols:version_detail", args=[draft.pk])).content.decode()
    assert "Incidenten sinds deze versie" not in page
