"""Pupils, groups and teachers from the EDEXML export (schools/edexml.py).

The files in tests/schools/edexml/ are written by hand after EDEXML 2.1: export.xml has two
groups, a combined group, six pupils and two teachers of school 99ZZ in 2026-2027;
second_export.xml moves Sem (1003) to Groep 6, drops Julia (1006) and adds Finn (1007).
"""

import time
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from schools import edexml
from schools.models import ClassGroup, Guardian, Pupil, Role, Staff, User, school_year_of
from schools.pupil_import import ImportRefused, import_pupils, make_plan
from schools.pupil_import import parse as parse_csv
from tests.factories import (
    ClassGroupFactory,
    GuardianFactory,
    MembershipFactory,
    PupilFactory,
    SchoolFactory,
    StaffFactory,
    UserFactory,
)
from tests.schools.pupil_csv import csv_bytes, pupil

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "edexml"
TODAY = date(2026, 12, 1)
YEAR = "2026-2027"


def export(name="export.xml", *, year=YEAR) -> bytes:
    """A file from tests/schools/edexml, of school year `year` instead of 2026-2027."""
    return (FILES / name).read_bytes().replace(b"2026-2027", year.encode())


def current(name="export.xml") -> bytes:
    """The file for the school year of today: the command and the views use the real date."""
    return export(name, year=school_year_of(timezone.localdate()))


def edex(pupils="", *, teachers="", brin="99ZZ", year=YEAR) -> bytes:
    """A minimal EDEXML file with groups G5 and G6 and the given pupils and teachers."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<EDEX>
  <school><schooljaar>{year}</schooljaar><brincode>{brin}</brincode></school>
  <groepen>
    <groep key="G5"><naam>Groep 5</naam><jaargroep>5</jaargroep></groep>
    <groep key="G6"><naam>Groep 6</naam><jaargroep>6</jaargroep></groep>
  </groepen>
  <leerlingen>{pupils}</leerlingen>
  <leerkrachten>{teachers}</leerkrachten>
</EDEX>""".encode()


def leerling(key="2001", *, roepnaam="Lotte", born="2017-04-02", group="G5") -> str:
    key_attribute = f' key="{key}"' if key is not None else ""
    return (
        f"<leerling{key_attribute}><achternaam>Dijk</achternaam><voorvoegsel>van</voorvoegsel>"
        f"<roepnaam>{roepnaam}</roepnaam><geboortedatum>{born}</geboortedatum>"
        f'<groep key="{group}"/></leerling>'
    )


def parse(data: bytes, *, today=TODAY):
    return edexml.parse(data, today=today)


def codes(parsed) -> list[str]:
    return [error.code for error in parsed.errors]


def run(school, data, *, today=TODAY, confirm_left=False):
    return import_pupils(
        parse(data, today=today), school=school, today=today, confirm_left=confirm_left
    )


@pytest.fixture
def school(db):
    """The school the hand-written files belong to."""
    return SchoolFactory(brin="99ZZ")


# --- Reading (no database) ----------------------------------------------------------------


def test_parse_reads_the_groups_pupils_and_teachers():
    parsed = parse(export())
    assert (
        parsed.errors,
        (parsed.brin, parsed.school_year),
        [(g.key, g.name, g.year_group) for g in parsed.group_rows],
        [(r.number, r.first_name, r.last_name, r.birth_date, r.group) for r in parsed.rows][:3],
        [(t.key, t.first_name, t.last_name, t.email, t.groups) for t in parsed.teachers],
    ) == (
        [],
        ("99ZZ00", "2026-2027"),
        [("G5", "Groep 5", "5"), ("G6", "Groep 6", "6")],
        [
            ("1001", "Daan", "de Vries", date(2017, 5, 1), "Groep 5"),
            ("1002", "Emma", "Jansen", date(2017, 8, 14), "Groep 5"),
            ("1003", "Sem", "van den Berg", date(2016, 11, 30), "Groep 5"),
        ],
        [
            ("LK1", "Anna", "de Wit", "anna.dewit@school.example", ("Groep 5",)),
            ("LK2", "Mark", "Smit", "m.smit@school.example", ("Groep 6",)),
        ],
    )


def test_parse_reads_six_pupils_without_guardians():
    parsed = parse(export())
    assert (len(parsed.rows), parsed.lists_guardians, {r.guardians for r in parsed.rows}) == (
        6,
        False,
        {()},
    )


def test_parse_lists_the_combined_group_as_ignored():
    parsed = parse(export())
    assert (parsed.combined_groups, "Plusklas" in parsed.groups) == (["Plusklas"], False)


def test_parse_refuses_an_export_of_another_school_year():
    parsed = parse(export("other_year.xml"))
    assert (codes(parsed), parsed.rows, "2025-2026" in parsed.errors[0].message) == (
        ["wrong_school_year"],
        [],
        True,
    )


def test_parse_names_each_invalid_pupil_by_key_and_name():
    pupils = (
        leerling(None, roepnaam="Zonder")
        + leerling("2002", roepnaam="Fenna", born="2017-02-30")
        + leerling("2003", roepnaam="Bram", group="G9")
        + leerling("2004")
    )
    parsed = parse(edex(pupils))
    messages = [error.message for error in parsed.errors]
    assert (
        len(messages),
        "Zonder van Dijk" in messages[0],
        ("2002" in messages[1], "Fenna van Dijk" in messages[1], "2017-02-30" in messages[1]),
        ("2003" in messages[2], "Bram van Dijk" in messages[2], "G9" in messages[2]),
        [r.number for r in parsed.rows],
    ) == (3, True, (True, True, True), (True, True, True), ["2004"])


def test_parse_refuses_a_pupil_key_used_twice():
    parsed = parse(edex(leerling("2001") + leerling("2001", roepnaam="Tweede")))
    assert codes(parsed) == ["bad_pupil"]


def test_parse_refuses_a_date_not_written_as_edexml_writes_it():
    parsed = parse(edex(leerling(born="02-04-2017")))
    assert (codes(parsed), "02-04-2017" in parsed.errors[0].message) == (["bad_pupil"], True)


def test_parse_refuses_a_teacher_of_a_group_not_in_the_file():
    teacher = (
        '<leerkracht key="LK9"><achternaam>Boer</achternaam><emailadres>b@school.example'
        '</emailadres><groepen><groep key="G9"/></groepen></leerkracht>'
    )
    parsed = parse(edex(leerling(), teachers=teacher))
    assert (codes(parsed), "LK9" in parsed.errors[0].message) == (["bad_teacher"], True)


def test_parse_skips_a_teacher_without_an_email_address():
    teacher = '<leerkracht key="LK3"><roepnaam>Lia</roepnaam></leerkracht>'
    parsed = parse(edex(leerling(), teachers=teacher))
    assert (parsed.errors, parsed.teachers, parsed.teachers_skipped) == ([], [], ["Lia (LK3)"])


def test_parse_reads_a_uwlr_answer_in_a_namespace():
    data = (
        edex(leerling())
        .replace(b"<EDEX>", b'<le:leerlinggegevens xmlns:le="http://www.edustandaard.nl/x">')
        .replace(b"</EDEX>", b"</le:leerlinggegevens>")
    )
    assert (codes(parse(data)), len(parse(data).rows)) == ([], 1)


def test_parse_refuses_xml_that_is_not_edexml():
    assert codes(parse(b"<?xml version='1.0'?><html><body/></html>")) == ["not_edexml"]


def test_parse_refuses_xml_that_is_not_well_formed():
    assert codes(parse(b"<EDEX><school>")) == ["bad_xml"]


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"<?xml version='1.0'?><EDEX/>", True),
        (b"\xef\xbb\xbf  \r\n<EDEX/>", True),
        ("\ufeff<EDEX/>".encode("utf-16-le"), True),
        (csv_bytes([pupil()]), False),
    ],
)
def test_is_xml_looks_at_the_first_character_after_bom_and_blanks(data, expected):
    assert edexml.is_xml(data) is expected


def test_read_export_chooses_the_parser_by_content():
    assert (
        isinstance(edexml.read_export(export(), today=TODAY), edexml.EdexFile),
        isinstance(edexml.read_export(csv_bytes([pupil()]), today=TODAY), edexml.EdexFile),
    ) == (True, False)


# --- Hostile XML --------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<EDEX><school><schooljaar>2026-2027</schooljaar><brincode>99ZZ</brincode></school>
<leerlingen><leerling key="1"><roepnaam>&lol9;</roepnaam></leerling></leerlingen></EDEX>"""


def test_billion_laughs_is_refused_quickly():
    started = time.monotonic()
    parsed = parse(BILLION_LAUGHS)
    assert (codes(parsed), parsed.rows, time.monotonic() - started < 1) == (
        ["xml_dtd"],
        [],
        True,
    )


def test_billion_laughs_is_refused_with_a_clear_dutch_message():
    with translation.override("nl"):
        message = parse(BILLION_LAUGHS).errors[0].message
    assert message.startswith("Het bestand bevat een DTD of entity-declaraties.")


def test_an_external_entity_to_a_local_file_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM-123")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE EDEX [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        "<EDEX><school><schooljaar>2026-2027</schooljaar><brincode>99ZZ</brincode></school>"
        '<leerlingen><leerling key="1"><roepnaam>&xxe;</roepnaam></leerling></leerlingen></EDEX>'
    ).encode()
    parsed = parse(data)
    assert (codes(parsed), any("GEHEIM" in e.message for e in parsed.errors)) == (
        ["xml_dtd"],
        False,
    )


def test_a_dtd_is_refused_even_without_entities():
    data = edex(leerling()).replace(b"<EDEX>", b"<!DOCTYPE EDEX [<!ELEMENT EDEX ANY>]><EDEX>")
    assert codes(parse(data)) == ["xml_dtd"]


def test_deep_nesting_is_refused_quickly():
    depth = 100_000
    data = b"<EDEX>" + b"<a>" * depth + b"</a>" * depth + b"</EDEX>"
    started = time.monotonic()
    parsed = parse(data)
    assert (codes(parsed), time.monotonic() - started < 1) == (["too_deep"], True)


def test_too_many_elements_are_refused(monkeypatch):
    monkeypatch.setattr(edexml, "MAX_ELEMENTS", 50)
    assert codes(parse(edex(leerling() * 20))) == ["too_many_elements"]


def test_a_file_above_the_cap_is_refused_before_parsing():
    assert codes(parse(b"<EDEX>" + b" " * edexml.MAX_BYTES + b"</EDEX>")) == ["too_large"]


# --- Planning and importing ---------------------------------------------------------------


def test_import_creates_groups_pupils_and_teachers(school):
    _plan, summary = run(school, export())
    groups = ClassGroup.objects.filter(school=school).order_by("name")
    staff = Staff.objects.filter(school=school).select_related("user").order_by("user__email")
    assert (
        [str(g) for g in groups],
        Pupil.objects.filter(school=school, group__name="Groep 6").count(),
        [(s.user.email, s.user.get_full_name(), [g.name for g in s.groups.all()]) for s in staff],
        (summary.new, summary.groups_created, summary.accounts_created, summary.teachers_new),
    ) == (
        ["Groep 5 (2026-2027)", "Groep 6 (2026-2027)"],
        3,
        [
            ("anna.dewit@school.example", "Anna de Wit", ["Groep 5"]),
            ("m.smit@school.example", "Mark Smit", ["Groep 6"]),
        ],
        (6, 2, 2, 2),
    )


def test_import_invites_teachers_without_an_account(
    school, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run(school, export())
    assert sorted(m.to[0] for m in mailoutbox) == [
        "anna.dewit@school.example",
        "m.smit@school.example",
    ]


def test_import_matches_a_teachers_account_by_email_ignoring_case(
    school, mailoutbox, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="M.SMIT@school.example")
    with django_capture_on_commit_callbacks(execute=True):
        _plan, summary = run(school, export())
    assert (
        User.objects.filter(email__iexact="m.smit@school.example").count(),
        Staff.objects.get(school=school, user=existing).groups.get().name,
        [m.to[0] for m in mailoutbox],
        summary.accounts_matched,
    ) == (1, "Groep 6", ["anna.dewit@school.example"], 1)


def test_import_keeps_a_teachers_groups_of_other_years_and_replaces_this_years(school):
    user = UserFactory(email="anna.dewit@school.example")
    old = ClassGroupFactory(school=school, name="Groep 4", school_year="2025-2026")
    wrong = ClassGroupFactory(school=school, name="Groep 8", school_year=YEAR)
    StaffFactory(user=user, school=school, groups=[old, wrong])
    plan, summary = run(school, export())
    staff = Staff.objects.get(user=user, school=school)
    assert (
        sorted(str(g) for g in staff.groups.all()),
        summary.teachers_changed,
        [(c.old, c.new) for c in plan.teachers_changed[0].changes],
    ) == (
        ["Groep 4 (2025-2026)", "Groep 5 (2026-2027)"],
        1,
        [("Groep 8", "Groep 5")],
    )


def test_reimport_changes_nothing(school):
    run(school, export())
    plan, summary = run(school, export())
    assert (
        summary.new,
        summary.changed,
        summary.unchanged,
        summary.groups_created,
        summary.accounts_created,
        (summary.teachers_new, summary.teachers_changed, len(plan.teachers_unchanged)),
        Staff.objects.count(),
    ) == (0, 0, 6, 0, 0, (0, 0, 2), 2)


def test_second_export_moves_one_adds_one_and_lists_one_as_left(school):
    run(school, export())
    plan = make_plan(parse(export("second_export.xml")), school=school, today=TODAY)
    assert (
        [(u.row.number, [(c.old, c.new) for c in u.changes]) for u in plan.changed],
        [r.number for r in plan.new],
        [p.number for p in plan.left],
    ) == (
        [("1003", [("Groep 5 (2026-2027)", "Groep 6 (2026-2027)")])],
        ["1007"],
        ["1006"],
    )


def test_second_export_marks_the_missing_pupil_left_only_when_confirmed(school):
    run(school, export())
    run(school, export("second_export.xml"))
    kept = Pupil.objects.get(number="1006").leave_date
    run(school, export("second_export.xml"), confirm_left=True)
    assert (
        kept,
        Pupil.objects.get(number="1006").leave_date,
        Pupil.objects.get(number="1003").group.name,
        Pupil.objects.filter(school=school).count(),
    ) == (None, TODAY, "Groep 6", 7)


def test_edexml_import_leaves_the_guardians_of_the_csv_alone(school):
    run(school, export())
    csv = parse_csv(csv_bytes([pupil("1001", voornaam="Daan", groep="Groep 5")]), today=TODAY)
    import_pupils(csv, school=school, today=TODAY)
    plan, summary = run(school, export())
    assert (
        Guardian.objects.filter(pupil__number="1001").count(),
        Pupil.objects.filter(school=school).count(),
        summary.changed,
    ) == (1, 6, 0)


def test_csv_import_after_edexml_matches_the_same_pupil_number(school):
    run(school, export())
    rows = [pupil("1001", voornaam="Daan", tussenvoegsel="de", achternaam="Vries")]
    _plan, summary = import_pupils(
        parse_csv(csv_bytes(rows), today=TODAY), school=school, today=TODAY
    )
    assert (summary.new, Pupil.objects.filter(school=school).count()) == (0, 6)


def test_an_export_of_another_school_is_refused_and_nothing_written(school):
    with pytest.raises(ImportRefused) as refused:
        run(school, export("other_brin.xml"))
    assert (
        [e.code for e in refused.value.plan.errors],
        "12AB" in refused.value.plan.errors[0].message,
        Pupil.objects.count(),
        ClassGroup.objects.count(),
    ) == (["other_school"], True, 0, 0)


def test_an_export_of_another_location_of_the_school_is_refused(db):
    school = SchoolFactory(brin="99ZZ01")
    plan = make_plan(parse(export()), school=school, today=TODAY)  # the file is of 99ZZ00
    assert [e.code for e in plan.errors] == ["other_school"]


def test_one_invalid_pupil_writes_nothing(school):
    data = edex(leerling("2001") + leerling("2002", born="2017-13-01"), teachers="")
    with pytest.raises(ImportRefused):
        run(school, data)
    assert (Pupil.objects.count(), ClassGroup.objects.count()) == (0, 0)


@pytest.mark.parametrize("n", [1, 10])
def test_make_plan_query_count_is_constant(school, n, django_assert_num_queries):
    teachers = "".join(
        f'<leerkracht key="T{i}"><achternaam>L{i}</achternaam><emailadres>t{i}@school.example'
        '</emailadres><groepen><groep key="G5"/></groepen></leerkracht>'
        for i in range(n)
    )
    data = edex("".join(leerling(str(3000 + i)) for i in range(n)), teachers=teachers)
    run(school, data)
    parsed = parse(data)
    # pupils, groups, accounts by e-mail, guardian links, staff, staff's groups
    with django_assert_num_queries(6):
        make_plan(parsed, school=school, today=TODAY)


# --- The command ------------------------------------------------------------------------


@pytest.fixture
def xml_file(tmp_path):
    def write(data, name="EDEX.XML"):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return write


def test_command_imports_an_edexml_file(school, xml_file, capsys):
    call_command("import_pupils", xml_file(current()), school=school.slug)
    out = capsys.readouterr().out
    assert (Pupil.objects.filter(school=school).count(), Staff.objects.count()) == (6, 2)
    assert out.startswith(f"{school.name}: 6 ")


def test_command_dry_run_writes_nothing(school, xml_file):
    call_command("import_pupils", xml_file(current()), school=school.slug, dry_run=True)
    assert (Pupil.objects.count(), Staff.objects.count(), ClassGroup.objects.count()) == (0, 0, 0)


def test_command_marks_left_only_with_confirm_left(school, xml_file):
    call_command("import_pupils", xml_file(current()), school=school.slug)
    second = xml_file(current("second_export.xml"), "second.xml")
    call_command("import_pupils", second, school=school.slug)
    kept = Pupil.objects.get(number="1006").leave_date
    call_command("import_pupils", second, school=school.slug, confirm_left=True)
    assert (kept, Pupil.objects.get(number="1006").leave_date) == (None, timezone.localdate())


def test_command_refuses_an_export_of_another_school(school, xml_file):
    with pytest.raises(CommandError) as error:
        call_command("import_pupils", xml_file(current("other_brin.xml")), school=school.slug)
    assert ("12AB" in str(error.value), Pupil.objects.count()) == (True, 0)


def test_command_refuses_a_200_mb_file_quickly(school, tmp_path):
    path = tmp_path / "huge.xml"
    with open(path, "wb") as handle:
        handle.write(b'<?xml version="1.0"?><EDEX>')
        handle.truncate(200 * 1024 * 1024)  # sparse: nothing written to disk
    started = time.monotonic()
    with pytest.raises(CommandError) as error:
        call_command("import_pupils", str(path), school=school.slug)
    assert ("20 MB" in str(error.value), time.monotonic() - started < 5) == (True, True)


# --- The browser upload -------------------------------------------------------------------


def upload(client, school, data, name="EDEX.XML"):
    return client.post(
        reverse("schools:pupil_import", args=[school.slug]),
        {"step": "upload", "file": SimpleUploadedFile(name, data, "text/xml")},
    )


def confirm(client, school, response, *, confirm_left=False):
    form = response.context["confirm"]
    data = {
        "step": "import",
        "payload": form.initial["payload"],
        "fingerprint": form.initial["fingerprint"],
    }
    if confirm_left:
        data["confirm_left"] = "on"
    return client.post(reverse("schools:pupil_import", args=[school.slug]), data)


@pytest.fixture
def other_school_director(school):
    sibling = SchoolFactory(stichting=school.stichting)
    return MembershipFactory(school=sibling, role=Role.DIRECTOR).user


@pytest.fixture
def parent(school):
    return GuardianFactory(pupil=PupilFactory(school=school)).user


@pytest.mark.parametrize("who", ["outsider", "other_school_director", "teacher", "parent"])
def test_edexml_upload_is_404_for_outsider(client, school, who, request):
    client.force_login(request.getfixturevalue(who))
    response = upload(client, school, current())
    assert (response.status_code, Pupil.objects.filter(number="1001").exists()) == (404, False)


def test_edexml_upload_previews_groups_pupils_teachers_and_ignored_groups(client, director, school):
    client.force_login(director)
    response = upload(client, school, current())
    page = response.content.decode()
    assert (
        len(response.context["plan"].new),
        [t.email for t in response.context["plan"].teachers_new],
        ("Groep 5" in page, "Plusklas" in page, "anna.dewit@school.example" in page),
        'id="teachers-heading"' in page,
        Pupil.objects.count(),
    ) == (
        6,
        ["anna.dewit@school.example", "m.smit@school.example"],
        (True, True, True),
        True,
        0,
    )


def test_edexml_preview_says_parents_come_from_the_csv(client, director, school):
    client.force_login(director)
    response = upload(client, school, current())
    assert response.context["edexml"].lists_guardians is False
    assert "CSV" in response.content.decode()


def test_edexml_upload_and_confirm_imports_it(client, director, school):
    client.force_login(director)
    response = confirm(client, school, upload(client, school, current()))
    assert (response.status_code, Pupil.objects.count(), Staff.objects.count()) == (302, 6, 2)


def test_edexml_second_export_shows_moved_new_and_left(client, director, school):
    client.force_login(director)
    confirm(client, school, upload(client, school, current()))
    plan = upload(client, school, current("second_export.xml")).context["plan"]
    assert (
        [u.row.number for u in plan.changed],
        [r.number for r in plan.new],
        [p.number for p in plan.left],
    ) == (["1003"], ["1007"], ["1006"])


def test_edexml_upload_of_another_school_shows_the_refusal(client, director, school):
    client.force_login(director)
    response = upload(client, school, current("other_brin.xml"))
    assert (
        [e.code for e in response.context["plan"].errors],
        response.context["confirm"],
        "12AB" in response.content.decode(),
    ) == (["other_school"], None, True)


def test_edexml_upload_of_a_billion_laughs_is_refused(client, director, school):
    client.force_login(director)
    response = upload(client, school, BILLION_LAUGHS.replace(b"2026-2027", YEAR.encode()))
    assert ([e.code for e in response.context["plan"].errors], Pupil.objects.count()) == (
        ["xml_dtd"],
        0,
    )


def test_an_upload_declared_larger_than_the_cap_is_refused_before_reading(client, director, school):
    client.force_login(director)
    response = client.post(
        reverse("schools:pupil_import", args=[school.slug]),
        {"step": "upload", "file": SimpleUploadedFile("EDEX.XML", b"<EDEX/>", "text/xml")},
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert (response.status_code, Pupil.objects.count()) == (413, 0)


def test_an_edexml_upload_above_the_csv_cap_is_accepted(client, director, school):
    client.force_login(director)
    padding = b"<!--" + b" " * (6 * 1024 * 1024) + b"-->"
    data = current().replace(b"<EDEX ", padding + b"<EDEX ", 1)
    response = upload(client, school, data)
    assert (response.context["plan"].errors, len(response.context["plan"].new)) == ([], 6)
