"""The procedure panel on the version page: its table and its query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from protocols import workflow
from protocols.models import ProcedureStepDefinition, ProtocolVersion, StepBody, StepKind
from tests.factories import ProtocolFactory, ProtocolVersionFactory, SectionFactory
from tests.protocols.helpers import today, votes_of_three
from tests.protocols.views.helpers import text, url

pytestmark = pytest.mark.django_db


def _adoptable_version(school, director, gmr_parent, consent_steps: int) -> ProtocolVersion:
    """A version whose procedure has `consent_steps` voted consent steps, then adoption."""
    school.stichting.procedure_steps.all().delete()
    for position in range(1, consent_steps + 1):
        ProcedureStepDefinition.objects.create(
            stichting=school.stichting,
            position=position,
            name="GMR",
            kind=StepKind.CONSENT,
            body=StepBody.COUNCIL,
            geledingen=["parents", "staff"],
        )
    ProcedureStepDefinition.objects.create(
        stichting=school.stichting,
        position=consent_steps + 1,
        name="Vaststelling CvB",
        kind=StepKind.ADOPTION,
        body=StepBody.BOARD,
    )
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    SectionFactory(version=version)
    workflow.submit(version, by=director, change_summary="x", legal_basis="consent")
    for step in version.steps.filter(kind=StepKind.CONSENT):
        workflow.record_decision(step, by=gmr_parent, decided_on=today(), votes=votes_of_three())
    return version


def test_version_detail_query_count_is_constant_over_steps_and_votes(
    client, school, director, gmr_de_stichting, gmr_parent
):
    one = _adoptable_version(school, director, gmr_parent, consent_steps=1)
    three = _adoptable_version(school, director, gmr_parent, consent_steps=3)
    client.force_login(director)
    counts = []
    for version in (one, three):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(version.get_absolute_url())
        counts.append((len(response.context["procedure_steps"]), len(queries)))
    assert [steps for steps, _queries in counts] == [2, 4]
    assert counts[0][1] == counts[1][1]


def test_the_version_page_reads_its_steps_votes_and_editing_right_once(
    client, school, director, gmr_de_stichting, gmr_parent
):
    version = _adoptable_version(school, director, gmr_parent, consent_steps=2)
    client.force_login(director)
    with CaptureQueriesContext(connection) as queries:
        client.get(version.get_absolute_url())
    sql = [query["sql"] for query in queries.captured_queries]
    steps = [q for q in sql if q.startswith('SELECT "protocols_procedurestep"."id"')]
    votes = [q for q in sql if 'FROM "protocols_geledingvote"' in q]
    # The editing right comes from the user's reach, read once for the menu: no query of its own.
    editable = [q for q in sql if q.startswith('SELECT 1 AS "a" FROM "protocols_protocolversion"')]
    memberships = [q for q in sql if q.startswith('SELECT "schools_membership"."id"')]
    assert (len(steps), len(votes), len(editable), len(memberships)) == (1, 1, 0, 1)


def test_the_directors_step_is_labelled_non_statutory(client, director, submitted):
    # DOMAIN A.12: directors' advice never replaces the (G)MR's statutory right.
    client.force_login(director)
    html = text(client.get(submitted.get_absolute_url()).content.decode())
    assert "directeurenoverleg (intern overleg, niet wettelijk)" in html


@pytest.mark.parametrize(
    ("between", "adopted_at"),
    # The adopted version right before, beyond the five other versions the page lists, or none.
    [(0, 1), (7, 1), (0, None)],
)
def test_the_panel_links_to_all_changes_since_the_last_adopted_version(
    client, school, director, gmr_de_stichting, between, adopted_at
):
    Status = ProtocolVersion.Status
    protocol = ProtocolFactory(stichting=school.stichting)
    first = ProtocolVersionFactory(
        protocol=protocol,
        number=1,
        status=Status.SUPERSEDED if adopted_at else Status.WITHDRAWN,
    )
    for number in range(2, between + 2):
        ProtocolVersionFactory(protocol=protocol, number=number, status=Status.WITHDRAWN)
    version = ProtocolVersionFactory(protocol=protocol, number=between + 2)
    SectionFactory(version=version)
    workflow.submit(version, by=director, change_summary="Nieuw.", legal_basis="consent")
    client.force_login(director)
    page = client.get(version.get_absolute_url()).content.decode()
    link = url("version_diff", version.pk, first.pk)
    assert (f'<a href="{link}">Alle wijzigingen sinds versie 1</a>' in page) == bool(adopted_at)
