"""The admin's lists of every app narrow to one stichting or school through a link on a row,
never through a sidebar naming all of them (a national platform has about a thousand
stichtingen and 6,000 schools)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import DeletionLog
from protocols.models import Acknowledgement, ProcedureStepDefinition
from tests.factories import (
    CategoryFactory,
    IncidentFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SchoolFactory,
    StichtingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _acknowledgement(school):
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    return Acknowledgement.objects.create(version=version, user=UserFactory(), school=school)


def _deletion(stichting):
    return DeletionLog.objects.create(
        stichting=stichting,
        day=timezone.localdate(),
        action=DeletionLog.Action.choices[0][0],
        what="incidents",
        rule="test",
        count=1,
    )


# changelist, lookup, makes a row in a stichting, the stichting or school a row belongs to
LISTS = {
    "category": (
        "admin:incidents_category_changelist",
        "stichting",
        lambda stichting: CategoryFactory(stichting=stichting),
        lambda row: row.stichting,
    ),
    "incident": (
        "admin:incidents_incident_changelist",
        "school__stichting",
        lambda stichting: IncidentFactory(school=SchoolFactory(stichting=stichting)),
        lambda row: row.school.stichting,
    ),
    "incident deletions": (
        "admin:incidents_deletionlog_changelist",
        "stichting",
        _deletion,
        lambda row: row.stichting,
    ),
    "protocol": (
        "admin:protocols_protocol_changelist",
        "stichting",
        lambda stichting: ProtocolFactory(stichting=stichting),
        lambda row: row.stichting,
    ),
    "version": (
        "admin:protocols_protocolversion_changelist",
        "protocol__stichting",
        lambda stichting: ProtocolVersionFactory(protocol=ProtocolFactory(stichting=stichting)),
        lambda row: row.protocol.stichting,
    ),
    "procedure template": (
        "admin:protocols_procedurestepdefinition_changelist",
        "stichting",
        lambda stichting: ProcedureStepDefinition.objects.create(
            stichting=stichting, position=1, name="Vaststelling", kind="adoption", body="board"
        ),
        lambda row: row.stichting,
    ),
    "acknowledgement": (
        "admin:protocols_acknowledgement_changelist",
        "school",
        lambda stichting: _acknowledgement(SchoolFactory(stichting=stichting)),
        lambda row: row.school,
    ),
}


@pytest.mark.parametrize("name", LISTS)
def test_a_row_links_to_the_list_of_its_stichting_or_school(admin_client, name):
    changelist, lookup, make, owner = LISTS[name]
    mine, other = StichtingFactory(name="Stichting Klasse"), StichtingFactory(name="Kopwerk")
    wanted = make(mine)
    make(other)
    path = reverse(changelist)
    unfiltered = admin_client.get(path)
    link = f"?{lookup}={owner(wanted).pk}"
    shown = {str(spec.title) for spec in unfiltered.context["cl"].filter_specs if spec.has_output()}
    filtered = admin_client.get(path + link)
    owners = {owner(row) for row in filtered.context["cl"].result_list}
    assert (f'href="{link}"' in unfiltered.content.decode(), shown & {"stichting", "school"}) == (
        True,
        set(),
    )
    assert owners == {owner(wanted)}
    assert str(owner(wanted)) in filtered.content.decode()


@pytest.mark.parametrize("name", LISTS)
def test_the_admin_lists_ignore_a_junk_filter(admin_client, name):
    changelist, lookup, make, _owner = LISTS[name]
    make(StichtingFactory())
    response = admin_client.get(reverse(changelist), {lookup: "1' OR 1=1"})
    assert (response.status_code, len(response.context["cl"].result_list) > 0) == (200, True)
