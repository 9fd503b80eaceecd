"""`manage.py import_pupils FILE --school SLUG [--dry-run] [--confirm-left]`."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from schools.models import Guardian, Pupil
from tests.factories import PupilFactory
from tests.schools.pupil_csv import csv_bytes, pupil

pytestmark = pytest.mark.django_db


@pytest.fixture
def csv_file(tmp_path):
    def write(rows):
        path = tmp_path / "leerlingen.csv"
        path.write_bytes(csv_bytes(rows))
        return str(path)

    return write


def test_import_pupils_writes_and_prints_a_summary(school, csv_file, capsys):
    call_command("import_pupils", csv_file([pupil("1"), pupil("2")]), school=school.slug)
    out = capsys.readouterr().out
    assert (Pupil.objects.filter(school=school).count(), Guardian.objects.count()) == (2, 2)
    assert out.startswith(f"{school.name}: 2 ")


def test_import_pupils_dry_run_writes_nothing(school, csv_file, capsys):
    call_command("import_pupils", csv_file([pupil()]), school=school.slug, dry_run=True)
    assert (Pupil.objects.count(), school.name in capsys.readouterr().out) == (0, True)


def test_import_pupils_fails_listing_every_bad_row_and_writes_nothing(school, csv_file):
    rows = [pupil("1", voornaam=""), pupil("2"), pupil("3", geboortedatum="31-02-2017")]
    with pytest.raises(CommandError) as error:
        call_command("import_pupils", csv_file(rows), school=school.slug)
    lines = str(error.value).splitlines()
    assert (len(lines), lines[1].startswith("Rij 2"), lines[2].startswith("Rij 4")) == (
        3,
        True,
        True,
    )
    assert Pupil.objects.count() == 0


def test_import_pupils_dry_run_fails_on_bad_rows_too(school, csv_file):
    with pytest.raises(CommandError):
        call_command(
            "import_pupils", csv_file([pupil(voornaam="=1")]), school=school.slug, dry_run=True
        )


def test_import_pupils_twice_changes_nothing(school, csv_file, capsys):
    path = csv_file([pupil("1"), pupil("2")])
    call_command("import_pupils", path, school=school.slug)
    call_command("import_pupils", path, school=school.slug)
    second = capsys.readouterr().out.splitlines()[-1]
    assert (Pupil.objects.count(), ": 0 nieuw, 0 gewijzigd, 2 ongewijzigd" in second) == (2, True)


def test_import_pupils_marks_left_only_with_confirm_left(school, csv_file):
    gone = PupilFactory(school=school, number="9")
    path = csv_file([pupil("1")])
    call_command("import_pupils", path, school=school.slug)
    gone.refresh_from_db()
    unconfirmed = gone.leave_date
    call_command("import_pupils", path, school=school.slug, confirm_left=True)
    gone.refresh_from_db()
    assert (unconfirmed, gone.leave_date) == (None, timezone.localdate())


def test_import_pupils_refuses_an_unknown_school(csv_file):
    with pytest.raises(CommandError):
        call_command("import_pupils", csv_file([pupil()]), school="nope")


def test_import_pupils_refuses_a_missing_file(school):
    with pytest.raises(CommandError):
        call_command("import_pupils", "/nonexistent/leerlingen.csv", school=school.slug)
