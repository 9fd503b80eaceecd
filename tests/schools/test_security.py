"""Accounts and requests (issue 10): two-factor login, throttling, sessions, the sign-in log,
headers and request-body caps. Two-factor login and django-axes are off in
config/test_settings.py; the tests here switch them on with `settings`.
"""

import os
import re
import subprocess
import sys
import time
from base64 import b32decode
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.core import checks, mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from schools import security
from schools.middleware import body_limit
from schools.models import Role, SignInEvent
from tests.factories import (
    PASSWORD,
    GuardianFactory,
    MembershipFactory,
    SchoolFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024


@pytest.fixture
def mfa(settings):
    settings.MFA_REQUIRED = True
    return settings


@pytest.fixture
def axes(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    return settings


def sign_in(client, email, password=PASSWORD, address="192.0.2.10"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def totp_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def code_for(device, steps_ahead=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


# --- who must use two-factor login -------------------------------------------------------


@pytest.mark.parametrize("role", [Role.BOARD, Role.DIRECTOR, Role.CONFIDANT, Role.ANTI_BULLYING])
def test_mfa_is_required_for_the_board_directors_and_incident_handlers(mfa, school, role):
    at = None if role == Role.BOARD else school  # the board's role is stichting-wide
    user = MembershipFactory(school=at, role=role, stichting=school.stichting).user
    assert security.mfa_required(user) is True


def test_mfa_is_offered_not_required_to_teachers_and_parents(mfa, teacher):
    parent = GuardianFactory().user
    assert (security.mfa_required(teacher), security.mfa_required(parent)) == (False, False)


def test_mfa_is_required_for_platform_admins(mfa):
    assert security.mfa_required(UserFactory(is_staff=True)) is True


def test_mfa_demo_waiver_exempts_demo_accounts_only(mfa, school):
    mfa.MFA_DEMO_WAIVER = True
    demo = MembershipFactory(school=school, role=Role.DIRECTOR, user__email="d@klasse.demo").user
    real = MembershipFactory(school=school, role=Role.DIRECTOR).user
    assert (security.mfa_required(demo), security.mfa_required(real)) == (False, True)


def test_mfa_setting_off_requires_nobody(settings, director):
    settings.MFA_REQUIRED = False
    assert security.mfa_required(director) is False


# --- enrolment and the second step --------------------------------------------------------


def test_required_user_is_sent_to_enrolment_before_any_page(mfa, client, director):
    sign_in(client, director.email)
    response = client.get(reverse("schools:home"))
    assert response.url == reverse("two_factor:setup")


def test_required_user_may_open_enrolment_and_log_out(mfa, client, director):
    sign_in(client, director.email)
    setup = client.get(reverse("two_factor:setup"))
    logout = client.post(reverse("logout"))
    assert (setup.status_code, logout.url) == (200, reverse("login"))


def test_teacher_is_not_sent_to_enrolment(mfa, client, teacher):
    sign_in(client, teacher.email)
    assert client.get(reverse("schools:home")).status_code == 200


def test_enrolment_with_a_code_from_the_app_opens_the_portal(mfa, client, director):
    sign_in(client, director.email)
    page = client.post(reverse("two_factor:setup"), {"setup_view-current_step": "welcome"})
    secret = page.context["secret_key"]
    device = TOTPDevice(key=b32decode(secret).hex())
    done = client.post(
        reverse("two_factor:setup"),
        {"setup_view-current_step": "generator", "generator-token": code_for(device)},
    )
    home = client.get(reverse("schools:home"))
    assert (done.url, home.status_code) == (reverse("two_factor:setup_complete"), 200)
    assert TOTPDevice.objects.filter(user=director, confirmed=True).count() == 1


def test_recovery_codes_are_made_after_enrolment(mfa, client, director):
    device = totp_device(director)
    sign_in(client, director.email)
    client.post(reverse("schools:two_factor_verify"), {"otp_token": code_for(device)})
    client.post(reverse("two_factor:backup_tokens"))
    assert StaticToken.objects.filter(device__user=director).count() == 10


def test_enrolled_user_is_asked_for_a_code_at_sign_in(mfa, client, teacher):
    totp_device(teacher)  # offered, taken: then it is asked for too
    sign_in(client, teacher.email)
    response = client.get(reverse("schools:home"))
    assert response.url == f"{reverse('schools:two_factor_verify')}?next=%2F"


def test_right_code_signs_in_and_goes_on_to_next(mfa, client, director):
    device = totp_device(director)
    sign_in(client, director.email)
    response = client.post(
        reverse("schools:two_factor_verify"), {"otp_token": code_for(device), "next": "/"}
    )
    assert (response.url, client.get("/").status_code) == ("/", 200)


def test_wrong_code_is_refused_in_dutch_and_logged(mfa, client, director):
    totp_device(director)
    sign_in(client, director.email)
    response = client.post(reverse("schools:two_factor_verify"), {"otp_token": "000000"})
    assert "Deze code klopt niet" in response.content.decode()
    assert SignInEvent.objects.filter(user=director).first().outcome == "code_failed"


def test_recovery_code_signs_in_once(mfa, client, director):
    totp_device(director)
    static = StaticDevice.objects.create(user=director, name="backup")
    static.token_set.create(token="abcd1234")
    url = reverse("schools:two_factor_verify")
    sign_in(client, director.email)
    first = client.post(url, {"otp_token": "abcd1234", "herstel": "1", "next": "/"})
    client.post(reverse("logout"))
    sign_in(client, director.email)
    second = client.post(url, {"otp_token": "abcd1234", "herstel": "1", "next": "/"})
    assert (first.status_code, second.status_code) == (302, 200)


def test_required_user_cannot_turn_two_factor_off(mfa, client, director):
    device = totp_device(director)
    sign_in(client, director.email)
    client.post(reverse("schools:two_factor_verify"), {"otp_token": code_for(device)})
    assert client.get(reverse("schools:two_factor_disable")).status_code == 404


def test_optional_user_can_turn_two_factor_off(mfa, client, teacher):
    device = totp_device(teacher)
    sign_in(client, teacher.email)
    client.post(reverse("schools:two_factor_verify"), {"otp_token": code_for(device)})
    client.post(reverse("schools:two_factor_disable"), {"understand": "on"})
    assert TOTPDevice.objects.filter(user=teacher).exists() is False


def test_two_factor_page_offers_enrolment_from_the_user_menu(client, teacher):
    client.force_login(teacher)
    home = client.get(reverse("schools:home")).content.decode()
    page = client.get(reverse("schools:two_factor_profile")).content.decode()
    assert reverse("schools:two_factor_profile") in home
    assert reverse("two_factor:setup") in page


def _deploy_errors(settings):
    settings.DEBUG = False
    return {
        c.id
        for c in checks.run_checks(include_deployment_checks=True)
        if c.id.startswith("schools")
    }


def test_demo_waiver_in_production_fails_the_deploy_check(settings):
    settings.MFA_REQUIRED, settings.MFA_DEMO_WAIVER = True, True
    assert _deploy_errors(settings) == {"schools.E001"}


def test_mfa_off_in_production_is_a_deploy_warning(settings):
    settings.MFA_REQUIRED, settings.MFA_DEMO_WAIVER = False, False
    assert _deploy_errors(settings) == {"schools.W001"}


def test_deploy_check_is_clean_with_the_production_defaults(settings):
    settings.MFA_REQUIRED, settings.MFA_DEMO_WAIVER = True, False
    assert _deploy_errors(settings) == set()


# --- failed logins -------------------------------------------------------------------------


def test_wrong_password_message_is_the_same_for_an_unknown_account(axes, client, teacher):
    known = sign_in(client, teacher.email, "wrong").context["form"].non_field_errors()
    unknown = sign_in(client, "nobody@example.org", "wrong").context["form"].non_field_errors()
    assert known == unknown


def test_failed_logins_lock_the_account_even_with_the_right_password(axes, client, teacher):
    for n in range(3):
        sign_in(client, teacher.email, "wrong", address=f"192.0.2.{n}")
    response = sign_in(client, teacher.email, address="198.51.100.1")
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.content.decode()


def test_account_lock_ignores_the_case_of_the_address(axes, client, teacher):
    for n, email in enumerate([teacher.email, teacher.email.upper(), teacher.email.title()]):
        sign_in(client, email, "wrong", address=f"192.0.2.{n}")
    assert sign_in(client, teacher.email, address="198.51.100.1").status_code == 429


def test_failed_logins_lock_the_address(axes, client, teacher):
    for n in range(3):
        sign_in(client, f"someone{n}@example.org", "wrong")
    assert sign_in(client, teacher.email).status_code == 429


def test_lockout_page_is_the_same_for_an_unknown_account(axes, client, teacher):
    def locked_page(email, address):
        for _ in range(4):
            response = sign_in(client, email, "wrong", address=address)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    known = locked_page(teacher.email, "192.0.2.1")
    unknown = locked_page("nobody@example.org", "192.0.2.2")
    assert known == unknown


def test_force_login_works_with_throttling_on(axes, client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("schools:home")).status_code == 200


class FailingEmailBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("connection refused")


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.console.EmailBackend",
        "tests.schools.test_security.FailingEmailBackend",
    ],
)
def test_password_reset_answers_the_same_for_an_unknown_address(settings, client, backend):
    settings.EMAIL_BACKEND = backend
    known = UserFactory()
    url = reverse("password_reset")
    answers = [client.post(url, {"email": e}) for e in (known.email, "nobody@example.org")]
    assert [(a.status_code, a.url) for a in answers] == [(302, reverse("password_reset_done"))] * 2


def test_password_reset_mails_only_a_known_address(client):
    known = UserFactory()
    for email in (known.email, "nobody@example.org"):
        client.post(reverse("password_reset"), {"email": email})
    assert [m.to for m in mail.outbox] == [[known.email]]


# --- sessions and caching -----------------------------------------------------------------


def test_staff_session_ends_after_the_staff_idle_minutes(settings, client, teacher):
    settings.SESSION_IDLE_MINUTES_STAFF = 30
    client.force_login(teacher)
    assert client.session.get_expiry_age() == 30 * 60


def test_parent_session_ends_after_the_parent_idle_minutes(settings, client):
    settings.SESSION_IDLE_MINUTES_PARENT = 240
    parent = GuardianFactory().user
    client.force_login(parent)
    assert client.session.get_expiry_age() == 240 * 60


def test_staff_record_without_a_role_counts_as_staff(settings, client):
    settings.SESSION_IDLE_MINUTES_STAFF = 30
    user = StaffFactory(school=SchoolFactory()).user
    client.force_login(user)
    assert client.session.get_expiry_age() == 30 * 60


def test_activity_pushes_the_idle_timeout_back(client, teacher):
    client.force_login(teacher)
    session = client.session
    session[security.SESSION_TOUCHED] = int(time.time()) - 10 * 60
    session.save()
    stored = Session.objects.get(pk=session.session_key)
    stored.expire_date = timezone.now() + timezone.timedelta(minutes=20)
    stored.save()
    client.get(reverse("schools:home"))
    stored.refresh_from_db()
    assert stored.expire_date > timezone.now() + timezone.timedelta(minutes=29)


def test_idle_session_ends(client, teacher):
    client.force_login(teacher)
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )
    assert client.get(reverse("schools:home")).url.startswith(reverse("login"))


def test_private_pages_are_not_stored(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("schools:home"))["Cache-Control"] == "private, no-store"


def test_public_pages_keep_their_caching(client):
    response = client.get(reverse("protocols:public_index"))
    assert "no-store" not in response.get("Cache-Control", "")


# --- the sign-in log and the admin log ---------------------------------------------------


def test_sign_in_is_logged_with_who_when_and_where(client, teacher):
    sign_in(client, teacher.email, address="203.0.113.5")
    event = SignInEvent.objects.get(user=teacher)
    assert (event.outcome, event.ip_address, event.email) == (
        "succeeded",
        "203.0.113.5",
        teacher.email,
    )


def test_failed_sign_in_is_logged_against_the_account(client, teacher):
    sign_in(client, teacher.email.upper(), "wrong")
    event = SignInEvent.objects.get()
    assert (event.user, event.outcome) == (teacher, "failed")


def test_address_behind_a_trusted_proxy_is_the_forwarded_one(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    assert security.client_ip(request) == "203.0.113.9"


def test_forwarded_address_is_ignored_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert security.client_ip(request) == "203.0.113.9"


def test_admin_actions_are_logged_and_visible_in_the_admin(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    school = SchoolFactory()
    client.force_login(admin)
    change = reverse("admin:schools_school_change", args=[school.pk])
    data = {
        "stichting": school.stichting_id,
        "name": "Nieuwe naam",
        "slug": school.slug,
        "brin": school.brin,
        "sector": school.sector,
        "city": "",
    }
    client.post(change, data)
    listing = client.get(reverse("admin:admin_logentry_changelist")).content.decode()
    assert LogEntry.objects.get().object_repr == "Nieuwe naam"
    assert "Nieuwe naam" in listing


def test_signin_history_shows_the_school_staffs_sign_ins(client, director, teacher, outsider):
    for user in (teacher, outsider):
        security.record_sign_in(None, outcome="succeeded", user=user)
    client.force_login(director)
    response = client.get(
        reverse("schools:signin_history", args=[director.memberships.get().school.slug])
    )
    shown = {event.user for event in response.context["page"].object_list}
    assert teacher in shown and outsider not in shown


def test_signin_history_is_404_for_outsider(client, school, outsider):
    client.force_login(outsider)
    assert client.get(reverse("schools:signin_history", args=[school.slug])).status_code == 404


def test_signin_history_is_404_for_a_teacher(client, school, teacher):
    client.force_login(teacher)
    assert client.get(reverse("schools:signin_history", args=[school.slug])).status_code == 404


@pytest.mark.parametrize("n", [1, 10])
def test_signin_history_query_count_is_constant(
    client, school, director, n, django_assert_num_queries
):
    for _ in range(n):
        user = MembershipFactory(school=school, role=Role.STAFF).user
        security.record_sign_in(None, outcome="succeeded", user=user)
    client.force_login(director)
    with django_assert_num_queries(7):
        client.get(reverse("schools:signin_history", args=[school.slug]))


# --- headers ------------------------------------------------------------------------------


def test_security_headers_are_sent(client, teacher):
    client.force_login(teacher)
    response = client.get(reverse("schools:home"))
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert (response["X-Frame-Options"], response["Referrer-Policy"]) == ("DENY", "same-origin")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_page_templates_have_no_inline_script_or_style():
    # PDFs are rendered server-side by WeasyPrint and e-mails are not pages: both may style.
    pages = [
        p
        for p in (ROOT / "templates").rglob("*.html")
        if "pdf" not in p.parts and not p.stem.endswith("_pdf") and "emails" not in p.parts
    ]
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|<style|\son[a-z]+=", re.I)
    offending = [str(p.relative_to(ROOT)) for p in pages if inline.search(p.read_text())]
    assert offending == []


# --- request bodies -----------------------------------------------------------------------


def test_oversized_post_is_refused_before_it_is_read(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("schools:home"), {"x": "1"}, CONTENT_LENGTH=str(2 * MB))
    assert response.status_code == 413
    assert "Te groot om te versturen" in response.content.decode()


def test_oversized_anonymous_post_is_refused_too(client):
    response = client.post(reverse("login"), {"username": "x" * (2 * MB)})
    assert response.status_code == 413


def test_ordinary_post_under_the_cap_passes(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("set_language"), {"language": "nl", "pad": "x" * 500_000})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name, args, limit_mb",
    [
        ("schools:pupil_import", ["school"], 20),
        ("protocols:protocol_import", [], 5),
        ("protocols:document_add", [1], 10),
        ("schools:home", [], 1),
    ],
)
def test_uploads_are_capped_at_their_documented_size(name, args, limit_mb):
    request = RequestFactory().post(reverse(name, args=args))
    assert body_limit(request) // MB == limit_mb


def test_pupil_import_accepts_a_file_over_the_ordinary_cap(client, school, director):
    client.force_login(director)
    upload = SimpleUploadedFile("leerlingen.csv", b"x" * (2 * MB), content_type="text/csv")
    response = client.post(reverse("schools:pupil_import", args=[school.slug]), {"file": upload})
    assert response.status_code == 200


def test_form_data_and_files_in_memory_are_capped(settings):
    assert (settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.FILE_UPLOAD_MAX_MEMORY_SIZE) == (MB, MB)


# --- SQLite in development ---------------------------------------------------------------


def test_sqlite_waits_for_locks_instead_of_failing():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    code = "from config import settings; print(settings.DATABASES['default']['OPTIONS'])"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "{'timeout': 20, 'transaction_mode': 'IMMEDIATE'}"
