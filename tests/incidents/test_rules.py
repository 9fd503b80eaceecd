"""The pure rules: no database, "today" as a parameter."""

from datetime import date

import pytest

from incidents import rules
from incidents.rules import CaseFacts, DutyFacts, Involved, MeasureFacts

STAFF_SUSPECT = Involved("suspect", "staff")
PUPIL_VICTIM = Involved("victim", "pupil")


def test_route_goes_to_anti_bullying_coordinator_and_directie_by_default():
    route = rules.route(sexual_category=False, involved=[PUPIL_VICTIM])
    assert (route.roles, route.reason, route.to_board) == (
        ("anti_bullying", "director"),
        "default",
        False,
    )


def test_route_goes_to_confidant_when_the_reporter_chooses():
    route = rules.route(sexual_category=False, involved=[PUPIL_VICTIM], to_confidant=True)
    assert (route.roles, route.reason) == (("confidant",), "confidant")


def test_route_of_unverified_report_goes_to_anti_bullying_coordinator():
    route = rules.route(sexual_category=False, involved=[], unverified=True)
    assert (route.roles, route.reason) == (("anti_bullying",), "unverified")


def test_route_of_sexual_misconduct_by_staff_goes_straight_to_the_board():
    route = rules.route(sexual_category=True, involved=[PUPIL_VICTIM, STAFF_SUSPECT])
    assert (route.roles, route.reason, route.to_board) == (("board",), "board", True)


def test_route_to_the_board_wins_over_the_reporters_choice_of_confidant():
    route = rules.route(sexual_category=True, involved=[STAFF_SUSPECT], to_confidant=True)
    assert route.to_board is True


def test_route_of_sexual_category_with_a_pupil_suspect_stays_at_school():
    route = rules.route(sexual_category=True, involved=[Involved("suspect", "pupil")])
    assert route.to_board is False


def test_route_of_staff_witness_in_sexual_category_stays_at_school():
    route = rules.route(sexual_category=True, involved=[Involved("witness", "staff")])
    assert route.to_board is False


@pytest.mark.parametrize(
    "earlier, number, ends_on, parents, directie",
    [
        (0, 1, date(2026, 10, 5), False, False),
        (1, 2, None, True, False),
        (2, 3, None, True, True),
        (5, 3, None, True, True),
    ],
)
def test_phone_ladder_step(earlier, number, ends_on, parents, directie):
    step = rules.phone_step(earlier, date(2026, 10, 5))
    assert (step.number, step.ends_on, step.parents_told, step.directie_decides) == (
        number,
        ends_on,
        parents,
        directie,
    )


@pytest.mark.parametrize(
    "day, start", [(date(2026, 7, 31), date(2025, 8, 1)), (date(2026, 8, 1), date(2026, 8, 1))]
)
def test_phone_ladder_counts_from_the_start_of_the_school_year(day, start):
    assert rules.school_year_start(day) == start


@pytest.mark.parametrize(
    "ends_on, returned, expected",
    [
        (date(2026, 10, 5), False, False),
        (date(2026, 10, 4), False, True),
        (date(2026, 10, 4), True, False),
    ],
)
def test_phone_not_returned_by_the_end_of_the_day_is_overdue(ends_on, returned, expected):
    assert rules.phone_overdue(ends_on, returned, date(2026, 10, 5)) is expected


def test_suspension_of_five_school_days_over_a_weekend_is_allowed():
    # Wednesday to the next Tuesday: five school days.
    assert rules.suspension_problems(date(2026, 10, 7), date(2026, 10, 13)) == []


def test_suspension_of_more_than_one_week_is_refused():
    problems = rules.suspension_problems(date(2026, 10, 5), date(2026, 10, 12))
    assert [str(p) for p in problems] == [
        "Een schorsing duurt hooguit een week (vijf schooldagen)."
    ]


def test_suspension_needs_an_end_date():
    assert [str(p) for p in rules.suspension_problems(date(2026, 10, 5), None)] == [
        "Een schorsing heeft een einddatum nodig."
    ]


@pytest.mark.parametrize(
    "ends_on, expected", [(date(2026, 10, 5), False), (date(2026, 10, 6), True)]
)
def test_suspension_longer_than_one_day_needs_the_inspectie(ends_on, expected):
    assert rules.suspension_needs_inspectie(date(2026, 10, 5), ends_on) is expected


def test_suspension_over_a_weekend_of_one_school_day_needs_no_inspectie():
    # Friday to Sunday is one school day.
    assert rules.suspension_needs_inspectie(date(2026, 10, 9), date(2026, 10, 11)) is False


def _facts(involved=(), measures=(), sexual=False):
    return CaseFacts(sexual, list(involved), list(measures))


def test_required_duties_of_sexual_misconduct_by_staff():
    assert set(rules.required_duties(_facts([STAFF_SUSPECT], sexual=True))) == {
        "confidential_inspector",
        "police_report",
        "accused_informed",
        "parents_informed",
    }


def test_required_duties_of_a_pupil_victim_are_parents_informed():
    assert set(rules.required_duties(_facts([PUPIL_VICTIM]))) == {"parents_informed"}


def test_required_duties_of_a_one_day_suspension_leave_out_the_inspectie():
    facts = _facts([PUPIL_VICTIM], [MeasureFacts("suspension", "pupil", school_days=1)])
    assert set(rules.required_duties(facts)) == {"parents_informed", "leerplicht", "pupil_file"}


def test_required_duties_of_a_longer_suspension_include_the_inspectie():
    facts = _facts([PUPIL_VICTIM], [MeasureFacts("suspension", "pupil", school_days=2)])
    assert "inspectie" in rules.required_duties(facts)


def test_required_duties_of_an_expulsion_include_inspectie_and_leerplicht():
    facts = _facts([], [MeasureFacts("expulsion", "pupil")])
    assert set(rules.required_duties(facts)) == {
        "parents_informed",
        "inspectie",
        "leerplicht",
        "pupil_file",
    }


def test_required_duties_of_a_second_phone_tell_the_parents():
    facts = _facts([], [MeasureFacts("phone", "pupil", ladder_step=2)])
    assert set(rules.required_duties(facts)) == {"parents_informed"}


def test_closing_is_refused_while_a_required_duty_is_open():
    checks = [DutyFacts("parents_informed", "open")]
    assert rules.closing_problems(checks, {"parents_informed"}) == ["parents_informed"]


def test_closing_accepts_not_applicable_with_a_reason():
    checks = [DutyFacts("parents_informed", "not_applicable", "Leerling is meerderjarig.")]
    assert rules.closing_problems(checks, {"parents_informed"}) == []


def test_closing_refuses_not_applicable_without_a_reason():
    checks = [DutyFacts("parents_informed", "not_applicable", "  ")]
    assert rules.closing_problems(checks, {"parents_informed"}) == ["parents_informed"]


def test_closing_ignores_open_optional_duties():
    checks = [DutyFacts("veilig_thuis", "open"), DutyFacts("parents_informed", "done")]
    assert rules.closing_problems(checks, {"parents_informed"}) == []


def test_closing_is_refused_while_a_phone_is_kept():
    assert rules.closing_problems([], set(), phones_kept=1) == ["phone_kept"]


def test_expulsion_decision_waits_for_teachers_and_parents_heard():
    state = rules.expulsion_state([("teachers_heard", date(2026, 10, 1))], date(2026, 10, 2))
    assert (state.may_decide, state.missing) == (False, ["parents_heard"])


def test_expulsion_after_decision_sets_search_and_objection_terms():
    steps = [
        ("teachers_heard", date(2026, 10, 1)),
        ("parents_heard", date(2026, 10, 2)),
        ("decision_sent", date(2026, 10, 5)),
    ]
    state = rules.expulsion_state(steps, date(2026, 10, 6))
    assert (state.search_until, state.objection_until, state.missing, state.takes_effect) == (
        date(2026, 11, 30),
        date(2026, 11, 16),
        ["inspectie_informed", "leerplicht_informed"],
        False,
    )


def test_expulsion_takes_effect_when_another_school_accepts():
    steps = [("decision_sent", date(2026, 10, 5)), ("other_school_accepts", date(2026, 10, 20))]
    assert rules.expulsion_state(steps, date(2026, 10, 21)).takes_effect is True


def test_expulsion_takes_effect_after_eight_weeks_of_demonstrable_searching():
    steps = [("decision_sent", date(2026, 10, 5)), ("school_approached", date(2026, 10, 6))]
    assert rules.expulsion_state(steps, date(2026, 11, 30)).takes_effect is True


def test_expulsion_objection_decision_is_due_within_four_weeks():
    steps = [("decision_sent", date(2026, 10, 5)), ("objection_received", date(2026, 10, 19))]
    state = rules.expulsion_state(steps, date(2026, 11, 17))
    assert (state.objection_decision_by, state.overdue) == (
        date(2026, 11, 16),
        ["objection_decided"],
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Er stond een foto van haar op Snapchat.", False),
        ("zie data:image/png;base64,iVBORw0KGgo=", True),
        ('<img src="x.jpg">', True),
        ("A" * 1000, True),
    ],
)
def test_image_guardrail_finds_images_in_text(text, expected):
    assert rules.contains_image(text) is expected


@pytest.mark.parametrize(
    "head, expected",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"%PDF-1.7\n", "application/pdf"),
        ("Gesprek met ouders, café.\n".encode(), "text/plain"),
        (b"GIF89a\x01\x00", None),
        (b"MZ\x90\x00\x03\x00", None),
        (b"", None),
    ],
)
def test_attachment_type_is_read_from_the_content(head, expected):
    assert rules.sniff_content_type(head) == expected


def test_attachment_type_accepts_text_cut_inside_a_character():
    assert rules.sniff_content_type("café".encode()[:-1]) == "text/plain"


def test_retention_dates_from_the_closing_date():
    dates = rules.retention_dates(
        date(2024, 2, 29), anonymise_after_months=24, delete_after_months=60
    )
    assert (dates.anonymise_on, dates.delete_on) == (date(2026, 2, 28), date(2029, 2, 28))


def test_retention_cutoff_is_the_closing_day_that_just_expired():
    assert rules.retention_cutoff(date(2026, 12, 1), 24) == date(2024, 12, 1)
