"""Every state change of an incident, through incidents/workflow.py."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from incidents import workflow
from incidents.models import DutyCheck, Incident, Measure
from schools.models import Role
from tests.factories import (
    MembershipFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

Status = Incident.Status


def _routed(incident):
    return set(incident.routed_to.values_list("pk", flat=True))


def _duty(incident, duty):
    return incident.duties.get(duty=duty)


# --- catalogue and reporting ----------------------------------------------------------------


def test_default_categories_are_created_once_per_stichting(school):
    workflow.ensure_default_categories(school.stichting)
    categories = workflow.ensure_default_categories(school.stichting)
    assert len(categories) == len(workflow.DEFAULT_CATEGORIES) == 15


def test_default_categories_flag_image_abuse_and_sexual_misconduct(categories):
    flagged = {
        code: (c.is_image_abuse, c.is_sexual_misconduct)
        for code, c in categories.items()
        if c.is_image_abuse or c.is_sexual_misconduct
    }
    assert flagged == {
        "intieme-beelden": (True, True),
        "deepfake": (True, False),
        "grensoverschrijdend": (False, True),
    }


def test_report_routes_to_anti_bullying_coordinator_and_director(incident, anti_bullying, director):
    assert (incident.status, incident.routing_reason, _routed(incident)) == (
        Status.NEW,
        "default",
        {anti_bullying.pk, director.pk},
    )


def test_report_mails_those_it_is_routed_to_without_details(
    django_capture_on_commit_callbacks, report
):
    with django_capture_on_commit_callbacks(execute=True):
        report("kwetsen")
    assert (len(mail.outbox), "kwetsend" in mail.outbox[0].body) == (2, False)


def test_report_routes_to_confidant_when_the_reporter_chooses(report, confidant):
    incident = report("kwetsen", to_confidant=True)
    assert (incident.routing_reason, _routed(incident)) == ("confidant", {confidant.pk})


def test_report_of_sexual_misconduct_by_staff_goes_straight_to_the_board(
    report, pupil, colleague, board_member, anti_bullying, director, confidant
):
    incident = report(
        "grensoverschrijdend",
        involved=[
            {"role": "victim", "kind": "pupil", "pupil": pupil},
            {"role": "suspect", "kind": "staff", "staff": colleague},
        ],
    )
    assert (incident.to_board, incident.routing_reason, _routed(incident)) == (
        True,
        "board",
        {board_member.pk},
    )


def test_report_of_sexual_misconduct_by_staff_needs_the_meldplicht_duties(
    report, pupil, colleague, board_member
):
    incident = report(
        "grensoverschrijdend",
        involved=[{"role": "suspect", "kind": "staff", "staff": colleague}],
    )
    required = set(incident.duties.filter(required=True).values_list("duty", flat=True))
    assert required == {
        "confidential_inspector",
        "police_report",
        "accused_informed",
        "parents_informed",
    }


def test_report_from_the_public_page_is_anonymous_unverified_and_for_anti_bullying(
    school, categories, yesterday, anti_bullying
):
    incident = workflow.report(
        school=school,
        by=None,
        occurred_at=yesterday,
        place="online",
        categories=[categories["cyberpesten"]],
        description="Er wordt in een groepsapp over mij gepest.",
        contact_address="anoniem@example.org",
    )
    assert (
        incident.reporter_kind,
        incident.unverified,
        incident.hide_reporter_name,
        incident.contact_address,
        _routed(incident),
    ) == ("public", True, True, "anoniem@example.org", {anti_bullying.pk})


def test_report_by_a_parent_is_kind_parent(report, parent):
    assert report("kwetsen", by=parent).reporter_kind == "parent"


def test_report_by_someone_without_a_tie_to_the_school_is_refused(report, outsider):
    with pytest.raises(ValidationError):
        report("kwetsen", by=outsider)


def test_report_without_anti_bullying_coordinator_falls_back_to_the_directors(
    school, teacher, categories, pupil, yesterday, director
):
    incident = workflow.report(
        school=school,
        by=teacher,
        occurred_at=yesterday,
        place="in_school",
        categories=[categories["kwetsen"]],
        description="Uitgescholden in de klas-app.",
        involved=[{"role": "victim", "kind": "pupil", "pupil": pupil}],
        to_confidant=True,
    )
    assert _routed(incident) == {director.pk}


def test_report_refuses_a_pupil_of_another_school(report):
    from tests.factories import PupilFactory

    stranger = PupilFactory()
    with pytest.raises(ValidationError):
        report("kwetsen", involved=[{"role": "victim", "kind": "pupil", "pupil": stranger}])


def test_report_names_a_rule_of_the_schools_adopted_protocol(report, school):
    version = ProtocolVersionFactory(
        protocol=ProtocolFactory(stichting=school.stichting), status="adopted"
    )
    section = SectionFactory(version=version, heading="Mobiele telefoons")
    assert report("kwetsen", rule_broken=section).rule_broken == section


def test_report_refuses_a_rule_of_another_stichtings_protocol(report):
    section = SectionFactory(version=ProtocolVersionFactory(status="adopted"))
    with pytest.raises(ValidationError):
        report("kwetsen", rule_broken=section)


# --- the image guardrail --------------------------------------------------------------------


def test_image_guardrail_refuses_an_image_pasted_into_the_description(
    school, teacher, categories, yesterday
):
    with pytest.raises(ValidationError) as error:
        workflow.report(
            school=school,
            by=teacher,
            occurred_at=yesterday,
            place="online",
            categories=[categories["intieme-beelden"]],
            description="data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ",
        )
    assert error.value.message_dict == {
        "description": ["Plak hier geen beelden. Beschrijf wat je zag."]
    }


def test_image_guardrail_refuses_an_image_in_a_chronology_entry(incident, anti_bullying):
    with pytest.raises(ValidationError):
        workflow.add_entry(incident, by=anti_bullying, text='<img src="data:image/png;base64,">')


def test_image_abuse_report_keeps_account_and_time_seen_instead(report, yesterday):
    incident = report("intieme-beelden", account_or_link="@nep_account_123", seen_at=yesterday)
    assert (incident.account_or_link, incident.seen_at) == ("@nep_account_123", yesterday)


def test_image_abuse_incident_refuses_every_attachment(report, anti_bullying, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    incident = report("intieme-beelden")
    upload = SimpleUploadedFile("screenshot.pdf", b"%PDF-1.7\n")
    with pytest.raises(ValidationError) as error:
        workflow.add_attachment(incident, by=anti_bullying, upload=upload)
    assert (error.value.code, incident.attachments.count()) == ("image_abuse", 0)


# --- attachments ---------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_attachment_is_stored_privately_with_the_type_from_its_content(
    incident, anti_bullying, media_root
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bewijs.txt", PNG, content_type="text/plain")
    attachment = workflow.add_attachment(incident, by=anti_bullying, upload=upload)
    stored = media_root / "private" / attachment.file.name
    assert (attachment.content_type, attachment.size, stored.read_bytes()) == (
        "image/png",
        len(PNG),
        PNG,
    )


def test_attachment_has_no_public_url(incident, anti_bullying, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    attachment = workflow.add_attachment(
        incident, by=anti_bullying, upload=SimpleUploadedFile("a.png", PNG)
    )
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018


def test_attachment_with_an_image_name_but_other_content_is_refused(
    incident, anti_bullying, media_root
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("foto.png", b"MZ\x90\x00\x03\x00\x00\x00", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        workflow.add_attachment(incident, by=anti_bullying, upload=upload)
    assert error.value.code == "file_type"


def test_attachment_larger_than_the_maximum_is_refused(incident, anti_bullying, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from incidents import rules

    upload = SimpleUploadedFile("groot.txt", b"a" * (rules.MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(ValidationError) as error:
        workflow.add_attachment(incident, by=anti_bullying, upload=upload)
    assert error.value.code == "too_large"


def test_attachment_by_someone_who_does_not_handle_the_incident_is_refused(
    incident, teacher, media_root
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        workflow.add_attachment(incident, by=teacher, upload=SimpleUploadedFile("a.png", PNG))


# --- handling ------------------------------------------------------------------------------


def test_first_chronology_entry_puts_the_incident_in_handling(incident, anti_bullying):
    workflow.add_entry(incident, by=anti_bullying, text="Gesprek met de leerling.", kind="pupil")
    incident.refresh_from_db()
    assert incident.status == Status.IN_HANDLING


def test_teacher_who_reported_cannot_handle(incident, teacher):
    with pytest.raises(ValidationError):
        workflow.add_entry(incident, by=teacher, text="Nog iets.")


def test_task_mails_its_owner_and_completes(
    django_capture_on_commit_callbacks, incident, anti_bullying, director
):
    with django_capture_on_commit_callbacks(execute=True):
        task = workflow.add_task(incident, by=director, title="Ouders bellen", owner=anti_bullying)
    workflow.complete_task(task, by=anti_bullying)
    task.refresh_from_db()
    assert (mail.outbox[-1].to, task.done_at is not None) == ([anti_bullying.email], True)


def test_route_by_hand_adds_a_handler_of_the_school(incident, director, confidant):
    workflow.route(incident, by=director, to=[confidant])
    assert confidant.pk in _routed(incident)


def test_route_of_a_board_case_to_school_staff_is_refused(
    report, colleague, board_member, director
):
    incident = report(
        "grensoverschrijdend", involved=[{"role": "suspect", "kind": "staff", "staff": colleague}]
    )
    with pytest.raises(ValidationError):
        workflow.route(incident, by=board_member, to=[director])


# --- measures: the phone ladder and the schorsing ------------------------------------------------


def _phone(incident, by, pupil, day, **kwargs):
    return workflow.add_measure(incident, by=by, kind="phone", pupil=pupil, starts_on=day, **kwargs)


def test_phone_ladder_first_time_until_the_end_of_the_day(incident, anti_bullying, pupil):
    day = date(2026, 10, 5)
    measure = _phone(incident, anti_bullying, pupil, day)
    assert (measure.ladder_step, measure.ends_on) == (1, day)


def test_phone_ladder_second_time_longer_and_parents_told(incident, anti_bullying, pupil):
    _phone(incident, anti_bullying, pupil, date(2026, 10, 5))
    measure = _phone(incident, anti_bullying, pupil, date(2026, 10, 12), ends_on=date(2026, 10, 13))
    assert (measure.ladder_step, _duty(incident, "parents_informed").required) == (2, True)


def test_phone_ladder_third_time_only_the_directie_decides(
    incident, anti_bullying, director, pupil
):
    _phone(incident, anti_bullying, pupil, date(2026, 10, 5))
    _phone(incident, anti_bullying, pupil, date(2026, 10, 12), ends_on=date(2026, 10, 13))
    with pytest.raises(ValidationError):
        _phone(incident, anti_bullying, pupil, date(2026, 10, 19), ends_on=date(2026, 10, 21))
    measure = _phone(incident, director, pupil, date(2026, 10, 19), ends_on=date(2026, 10, 21))
    assert measure.ladder_step == 3


def test_phone_ladder_starts_again_in_a_new_school_year(incident, anti_bullying, pupil):
    _phone(incident, anti_bullying, pupil, date(2026, 7, 10))
    measure = _phone(incident, anti_bullying, pupil, date(2026, 9, 1))
    assert measure.ladder_step == 1


def test_return_phone_records_when_and_to_whom(incident, anti_bullying, pupil):
    measure = _phone(incident, anti_bullying, pupil, date(2026, 10, 5))
    workflow.return_phone(measure, by=anti_bullying, returned_to="de leerling zelf")
    measure.refresh_from_db()
    assert (measure.returned_to, measure.returned_at is not None) == ("de leerling zelf", True)


def _suspension(incident, by, pupil, starts_on, ends_on):
    return workflow.add_measure(
        incident,
        by=by,
        kind="suspension",
        pupil=pupil,
        starts_on=starts_on,
        ends_on=ends_on,
        letter_reasons="Herhaaldelijk kwetsende berichten.",
        letter_objection="Binnen zes weken bezwaar bij het bestuur.",
    )


def test_schorsing_longer_than_a_week_is_refused(incident, anti_bullying, pupil):
    with pytest.raises(ValidationError):
        _suspension(incident, anti_bullying, pupil, date(2026, 10, 5), date(2026, 10, 12))


def test_schorsing_of_one_day_needs_no_inspectie(incident, anti_bullying, pupil):
    _suspension(incident, anti_bullying, pupil, date(2026, 10, 5), date(2026, 10, 5))
    assert _duty(incident, "inspectie").required is False


def test_schorsing_longer_than_one_day_makes_the_inspectie_duty_required(
    incident, anti_bullying, pupil
):
    _suspension(incident, anti_bullying, pupil, date(2026, 10, 5), date(2026, 10, 7))
    inspectie = _duty(incident, "inspectie")
    assert (inspectie.required, inspectie.state) == (True, "open")


def test_schorsing_needs_the_letters_reasons_and_objection_route(incident, anti_bullying, pupil):
    with pytest.raises(ValidationError):
        workflow.add_measure(
            incident,
            by=anti_bullying,
            kind="suspension",
            pupil=pupil,
            starts_on=date(2026, 10, 5),
            ends_on=date(2026, 10, 5),
        )


def test_measure_for_a_pupil_not_involved_is_refused(incident, anti_bullying, other_pupil):
    with pytest.raises(ValidationError):
        workflow.add_measure(
            incident, by=anti_bullying, kind="warning", pupil=other_pupil, starts_on=date.today()
        )


def test_staff_measure_is_only_a_referral_to_the_board(report, colleague, director, pupil):
    incident = report(
        "kwetsen",
        involved=[
            {"role": "victim", "kind": "pupil", "pupil": pupil},
            {"role": "suspect", "kind": "staff", "staff": colleague},
        ],
    )
    measure = workflow.add_measure(
        incident, by=director, kind="board_referral", staff=colleague, starts_on=date(2026, 10, 5)
    )
    assert (measure.audience, measure.pupil) == (Measure.Audience.STAFF, None)


def test_expulsion_decision_is_refused_before_the_hearings(incident, director, pupil):
    measure = workflow.add_measure(
        incident, by=director, kind="expulsion", pupil=pupil, starts_on=date(2026, 10, 5)
    )
    with pytest.raises(ValidationError):
        workflow.record_expulsion_step(
            measure, by=director, step="decision_sent", on=date(2026, 10, 5)
        )


# --- the checklist and closing ------------------------------------------------------------


def test_closing_is_refused_while_the_checklist_is_incomplete(incident, director):
    with pytest.raises(ValidationError) as error:
        workflow.close(incident, by=director)
    assert error.value.messages == ["Nog open: Ouders ingelicht."]


def test_closing_after_the_checklist_is_complete(incident, director, anti_bullying):
    workflow.set_duty(
        incident,
        by=anti_bullying,
        duty="parents_informed",
        state="done",
        done_on=date(2026, 11, 30),
    )
    workflow.finish_handling(incident, by=anti_bullying)
    workflow.close(incident, by=director, evaluation="Afgehandeld met een gesprek.")
    incident.refresh_from_db()
    assert (incident.status, incident.closed_by, incident.closed_at is not None) == (
        Status.CLOSED,
        director,
        True,
    )


def test_closing_accepts_a_duty_not_applicable_with_a_reason(incident, director):
    workflow.set_duty(
        incident,
        by=director,
        duty="parents_informed",
        state="not_applicable",
        reason="Meerderjarig.",
    )
    assert workflow.close(incident, by=director).status == Status.CLOSED


def test_duty_not_applicable_needs_a_reason(incident, director):
    with pytest.raises(ValidationError):
        workflow.set_duty(incident, by=director, duty="parents_informed", state="not_applicable")


def test_closing_is_refused_while_a_phone_is_kept(incident, director, anti_bullying, pupil):
    workflow.set_duty(
        incident, by=director, duty="parents_informed", state="done", done_on=date(2026, 11, 30)
    )
    _phone(incident, anti_bullying, pupil, date(2026, 11, 30))
    with pytest.raises(ValidationError) as error:
        workflow.close(incident, by=director)
    assert error.value.messages == ["Er is nog een telefoon in bewaring."]


def test_only_the_directie_closes(incident, anti_bullying):
    with pytest.raises(ValidationError):
        workflow.close(incident, by=anti_bullying)


def test_board_case_is_closed_by_the_board_not_the_director(
    report, colleague, board_member, director
):
    incident = report(
        "grensoverschrijdend", involved=[{"role": "suspect", "kind": "staff", "staff": colleague}]
    )
    with pytest.raises(ValidationError):
        workflow.close(incident, by=director)


def test_closed_incident_takes_no_more_entries(incident, director):
    workflow.set_duty(
        incident, by=director, duty="parents_informed", state="not_applicable", reason="Geen."
    )
    workflow.close(incident, by=director)
    with pytest.raises(ValidationError):
        workflow.add_entry(incident, by=director, text="Nog een notitie.")


# --- legal hold, read log, takedowns --------------------------------------------------------


def test_legal_hold_is_set_by_the_directie_with_who_and_when(incident, director):
    workflow.set_legal_hold(incident, by=director, hold=True, reason="Aangifte loopt.")
    incident.refresh_from_db()
    assert (incident.legal_hold, incident.legal_hold_by, incident.legal_hold_at is not None) == (
        True,
        director,
        True,
    )


def test_legal_hold_is_refused_for_a_handler_who_is_not_directie(incident, anti_bullying):
    with pytest.raises(ValidationError):
        workflow.set_legal_hold(incident, by=anti_bullying, hold=True, reason="Aangifte.")


def test_read_log_records_who_read_and_the_directie_sees_it(incident, anti_bullying, director):
    workflow.log_read(incident, anti_bullying)
    workflow.log_read(incident, director)
    log = workflow.read_log(incident, by=director)
    assert [read.user for read in log] == [director, anti_bullying]


def test_read_log_is_hidden_from_a_handler_who_is_not_directie(incident, anti_bullying):
    with pytest.raises(ValidationError):
        workflow.read_log(incident, by=anti_bullying)


def test_takedown_is_tracked_until_removed(report, anti_bullying):
    incident = report("intieme-beelden")
    takedown = workflow.add_takedown(
        incident,
        by=anti_bullying,
        route="take_it_down",
        platform="instagram",
        reference="TID-42",
        requested_on=date(2026, 11, 30),
    )
    workflow.update_takedown(
        takedown, by=anti_bullying, status="removed", resolved_on=date(2026, 12, 1)
    )
    takedown.refresh_from_db()
    assert (takedown.status, takedown.resolved_on) == ("removed", date(2026, 12, 1))


def test_checklist_has_one_row_per_duty(incident):
    assert incident.duties.count() == len(DutyCheck.Duty)


def test_report_in_the_future_is_refused(school, teacher, categories):
    with pytest.raises(ValidationError):
        workflow.report(
            school=school,
            by=teacher,
            occurred_at=timezone.now() + timedelta(days=1),
            place="online",
            categories=[categories["kwetsen"]],
            description="Morgen.",
        )


def test_director_of_another_school_of_the_stichting_cannot_handle(incident, school):
    from tests.factories import SchoolFactory

    other = MembershipFactory(
        school=SchoolFactory(stichting=school.stichting), role=Role.DIRECTOR
    ).user
    with pytest.raises(ValidationError):
        workflow.add_entry(incident, by=other, text="Ik kijk even mee.")


def test_a_new_stichting_gets_the_default_categories_at_once():
    from tests.factories import StichtingFactory

    stichting = StichtingFactory()
    codes = set(stichting.incident_categories.values_list("code", flat=True))
    assert codes == {fields["code"] for fields in workflow.DEFAULT_CATEGORIES}
