"""The admin's pupil and user lists cost the same at 1 and at many rows, and count nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ClassGroupFactory,
    CouncilFactory,
    CouncilMemberFactory,
    MembershipFactory,
    PupilFactory,
    SchoolFactory,
    StaffFactory,
    StichtingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def queries_for(client, path) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize(
    ("changelist", "factory"),
    [
        ("admin:schools_pupil_changelist", PupilFactory),
        ("admin:schools_user_changelist", UserFactory),
    ],
)
def test_admin_list_runs_the_same_queries_for_one_row_and_many(admin_client, changelist, factory):
    # A search: with show_full_result_count on, Django would count the whole table as well.
    path = reverse(changelist) + "?q=e"
    factory()
    one = queries_for(admin_client, path)
    factory.create_batch(30)
    many = queries_for(admin_client, path)
    counts = [sql for sql in many if "COUNT(*)" in sql.upper()]
    assert (len(many), len(counts)) == (len(one), 1)


@pytest.mark.parametrize(
    ("changelist", "factory", "field", "value"),
    [
        ("admin:schools_pupil_changelist", PupilFactory, "last_name", "Jansen"),
        ("admin:schools_user_changelist", UserFactory, "email", "jansen@ouders.example"),
    ],
)
def test_admin_search_finds_by_the_start_of_a_word(admin_client, changelist, factory, field, value):
    wanted = factory(**{field: value})
    factory(**{field: "Overjansen" if field == "last_name" else "overjansen@ouders.example"})
    response = admin_client.get(reverse(changelist) + "?q=jans")
    assert list(response.context["cl"].result_list) == [wanted]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL's")
@pytest.mark.parametrize(
    ("changelist", "index"),
    [
        ("admin:schools_pupil_changelist", "pupil_last_name_prefix"),
        ("admin:schools_user_changelist", "user_email_prefix"),
    ],
)
def test_admin_search_is_answered_from_an_index_on_postgresql(admin_client, changelist, index):
    PupilFactory.create_batch(3)
    search = [
        sql
        for sql in queries_for(admin_client, reverse(changelist) + "?q=jans")
        if "LIKE" in sql and "COUNT(" not in sql.upper()
    ][0]
    with connection.cursor() as cursor:
        # A table of a few rows is read whole; take that choice away to see the index is usable.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + search)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan


def test_the_pupil_list_does_not_list_every_school(admin_client):
    path = reverse("admin:schools_pupil_changelist")
    PupilFactory()
    one = queries_for(admin_client, path)
    for school in SchoolFactory.create_batch(20):
        PupilFactory(school=school)
    filters = admin_client.get(path).context["cl"].filter_specs
    shown = [spec.title for spec in filters if spec.has_output()]
    assert (len(queries_for(admin_client, path)), shown) == (len(one), [])


@pytest.mark.parametrize("changelist", ["pupil", "staff", "classgroup"])
def test_a_schools_admin_row_links_to_its_people_filtered(admin_client, changelist):
    mine, other = SchoolFactory(name="De Regenboog"), SchoolFactory(name="Het Kompas")
    factory = {"pupil": PupilFactory, "staff": StaffFactory, "classgroup": ClassGroupFactory}
    wanted = factory[changelist](school=mine)
    factory[changelist](school=other)
    schools = admin_client.get(reverse("admin:schools_school_changelist")).content.decode()
    link = f"{reverse(f'admin:schools_{changelist}_changelist')}?school={mine.pk}"
    response = admin_client.get(link)
    assert (link in schools, list(response.context["cl"].result_list)) == (True, [wanted])
    assert "De Regenboog" in response.content.decode()


@pytest.mark.parametrize("junk", ["abc", "99999999", "1" * 40, "-1", ""])
def test_the_school_filter_ignores_junk(admin_client, junk):
    PupilFactory.create_batch(2)
    response = admin_client.get(reverse("admin:schools_pupil_changelist"), {"school": junk})
    assert (response.status_code, len(response.context["cl"].result_list)) == (200, 2)


@pytest.mark.parametrize(
    ("changelist", "factory", "lookup"),
    [
        ("school", lambda stichting: SchoolFactory(stichting=stichting), "stichting"),
        (
            "membership",
            lambda stichting: MembershipFactory(stichting=stichting, school=None, role="board"),
            "stichting",
        ),
        (
            "council",
            lambda stichting: CouncilFactory(school=SchoolFactory(stichting=stichting)),
            "stichting",
        ),
    ],
)
def test_a_stichtings_admin_row_links_to_its_parts_filtered(
    admin_client, changelist, factory, lookup
):
    mine, other = StichtingFactory(name="Stichting Klasse"), StichtingFactory(name="Kopwerk")
    wanted = factory(mine)
    factory(other)
    rows = admin_client.get(reverse("admin:schools_stichting_changelist")).content.decode()
    link = f"{reverse(f'admin:schools_{changelist}_changelist')}?{lookup}={mine.pk}"
    response = admin_client.get(link)
    assert (link in rows, list(response.context["cl"].result_list)) == (True, [wanted])
    unfiltered = admin_client.get(reverse(f"admin:schools_{changelist}_changelist"))
    shown = [spec.title for spec in unfiltered.context["cl"].filter_specs if spec.has_output()]
    assert "stichting" not in shown


def test_a_councils_admin_row_links_to_its_members(admin_client):
    council, other = CouncilFactory(name="GMR Klasse"), CouncilFactory(name="MR Kompas")
    wanted = CouncilMemberFactory(council=council)
    CouncilMemberFactory(council=other)
    rows = admin_client.get(reverse("admin:schools_council_changelist")).content.decode()
    link = f"{reverse('admin:schools_councilmember_changelist')}?council={council.pk}"
    response = admin_client.get(link)
    assert (link in rows, list(response.context["cl"].result_list)) == (True, [wanted])
    assert "GMR Klasse" in response.content.decode()


@pytest.mark.parametrize(
    ("model", "factory"),
    [("pupil", PupilFactory), ("user", UserFactory), ("staff", StaffFactory)],
)
def test_the_lists_of_people_write_django_s_own_action_checkbox(model, factory):
    from django.contrib import admin
    from django.contrib.admin import ModelAdmin

    row = factory(**({"last_name": 'O"Brien <b>'} if model != "staff" else {}))
    model_admin = admin.site._registry[type(row)]
    assert model_admin.action_checkbox(row) == ModelAdmin.action_checkbox(model_admin, row)


def test_the_pupil_list_lets_an_admin_select_pupils_for_an_action(admin_client):
    pupils = PupilFactory.create_batch(2)
    page = admin_client.get(reverse("admin:schools_pupil_changelist")).content.decode()
    for pupil in pupils:
        assert f'name="_selected_action" value="{pupil.pk}" class="action-select"' in page
