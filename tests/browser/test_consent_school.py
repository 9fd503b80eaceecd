"""Consent at school in a real browser: a teacher checks a picture and prints a group's list
on a phone; a director imports pupils (one bad row first) and reads the coverage."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from consent import ledger
from schools.models import Pupil, Role
from tests.browser.test_journeys import nl
from tests.factories import (
    ClassGroupFactory,
    GuardianFactory,
    MembershipFactory,
    PupilFactory,
    SchoolFactory,
    StaffFactory,
)
from tests.schools.pupil_csv import csv_bytes, pupil

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def school_with_consent(db):
    school = SchoolFactory(name="De Lindenberg")
    group = ClassGroupFactory(school=school, name="Groep 6")
    website = ledger.create_purpose(
        stichting=school.stichting,
        name="Website",
        slug="website",
        text="Foto's op de openbare website.",
        by=None,
        channel="public",
    )
    anna = PupilFactory(
        school=school, group=group, first_name="Anna", last_name="Ja", birth_date=date(2016, 2, 1)
    )
    bram = PupilFactory(
        school=school, group=group, first_name="Bram", last_name="Nee", birth_date=date(2016, 3, 1)
    )
    for child, choice in ((anna, True), (bram, False)):
        parent = GuardianFactory(pupil=child, has_gezag=True).user
        ledger.record_choice(subject=child, purpose=website, choice=choice, by=parent)
    teacher = MembershipFactory(school=school, role=Role.STAFF).user
    StaffFactory(user=teacher, school=school, groups=[group])
    director = MembershipFactory(school=school, role=Role.DIRECTOR).user
    return {"school": school, "group": group, "teacher": teacher, "director": director}


def test_a_teacher_checks_a_picture_and_prints_the_groups_list_on_a_phone(
    page, live_server, login, school_with_consent
):
    page.set_viewport_size(PHONE)
    login(page, live_server, school_with_consent["teacher"])
    page.get_by_role("link", name=nl("Who may be shown")).first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(nl("Who may be shown"))
    expect(page.get_by_text("Bram Nee")).to_be_visible()
    expect(page.locator("#not-shown-heading")).to_have_text("1 leerling mag NIET in beeld")
    with page.expect_download() as download:
        page.get_by_role("link", name=nl("Print list for the photographer (PDF)")).click()
    assert download.value.suggested_filename.endswith(".pdf")

    page.get_by_role("link", name=nl("May I publish this?")).first.click()
    page.get_by_label(nl("Where do you want to publish it?")).select_option(label="Website")
    page.get_by_role("group", name=nl("Who is recognisable in the picture?")).get_by_label(
        "Anna Ja"
    ).check()
    page.get_by_role("group", name=nl("Who is recognisable in the picture?")).get_by_label(
        "Bram Nee"
    ).check()
    page.get_by_role("button", name=nl("Check")).click()
    expect(page.get_by_role("status")).to_contain_text(nl("No, not like this."))

    page.get_by_role(
        "group", name=nl("Made unrecognisable (blurred, from behind, cut out)")
    ).get_by_label("Bram Nee").check()
    page.get_by_role("button", name=nl("Check")).click()
    expect(page.get_by_role("status")).to_contain_text(nl("Yes, you may publish it."))
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_director_imports_pupils_with_one_bad_row_fixes_it_and_reads_the_coverage(
    page, live_server, login, school_with_consent, tmp_path
):
    school = school_with_consent["school"]
    login(page, live_server, school_with_consent["director"])
    page.get_by_role("link", name=school.name).first.click()
    page.get_by_role("link", name=nl("Import pupils")).click()

    bad = tmp_path / "leerlingen.csv"
    bad.write_bytes(csv_bytes([pupil("2001"), pupil("2002", geboortedatum="31-02-2017")]))
    page.get_by_label(nl("EDEXML or CSV file from the pupil administration")).set_input_files(
        str(bad)
    )
    page.get_by_role("button", name=nl("Check the file")).click()
    expect(page.get_by_role("alert")).to_contain_text("3")  # row 3 of the file: the bad date
    assert Pupil.objects.filter(number__in=["2001", "2002"]).count() == 0

    good = tmp_path / "leerlingen-verbeterd.csv"
    good.write_bytes(csv_bytes([pupil("2001"), pupil("2002", geboortedatum="28-02-2017")]))
    page.get_by_label(nl("EDEXML or CSV file from the pupil administration")).set_input_files(
        str(good)
    )
    page.get_by_role("button", name=nl("Check the file")).click()
    page.get_by_role("button", name=nl("Import"), exact=True).click()
    expect(page.get_by_role("status")).to_be_visible()
    assert Pupil.objects.filter(school=school, number__in=["2001", "2002"]).count() == 2

    # The import ends on the school's page, where the coverage is one click away.
    page.get_by_role("link", name=nl("Consent coverage")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(nl("Consent coverage"))
    row = page.get_by_role("row", name=re.compile("^Website"))
    # Anna yes, Bram no, and the two new pupils have not answered yet.
    expect(row).to_contain_text("1 (25%)")
    expect(page.get_by_role("img", name=re.compile("Website"))).to_be_visible()
