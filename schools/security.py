"""Who must use two-factor login, how long a session lasts, and the sign-in log.

The work itself is done by libraries (django-otp and django-two-factor-auth for the second
factor, django-axes for throttling); this module holds the portal's rules for them, the
receivers that log sign-ins (IBP SM.04, DOMAIN rule 58), and the system check that keeps the
demo waiver out of production. The middleware in `schools/middleware.py` applies the rules.
"""

import time

from django.conf import settings
from django.contrib.auth import user_logged_in, user_login_failed
from django.core import checks
from django.dispatch import receiver
from django_otp import user_has_device

from schools import access
from schools.models import Membership, Role, SignInEvent, Staff, User

# Whoever holds one of these roles handles incidents or sees a whole school's pupils, so
# signs in with a second factor (DOMAIN rule 59), as do platform admins.
MFA_ROLES = tuple(
    dict.fromkeys(
        (Role.BOARD, Role.DIRECTOR, Role.CONFIDANT, Role.ANTI_BULLYING, *access.MANAGING_ROLES)
    )
)
DEMO_DOMAIN_SUFFIX = ".demo"

# Session keys. What the second step still needs ("verify" or "enrol"), set at sign-in so
# that a request costs no query to know it; and when the idle timer was last pushed back.
SESSION_MFA = "portal_mfa"
SESSION_TOUCHED = "portal_touched"
MFA_VERIFY = "verify"
MFA_ENROL = "enrol"
# The idle timer is pushed back at most this often, so a session is not saved on every request.
TOUCH_INTERVAL = 60


def mfa_required(user) -> bool:
    """True when `user` may not use the portal without a second factor."""
    if not settings.MFA_REQUIRED:
        return False
    if settings.MFA_DEMO_WAIVER and user.email.lower().endswith(DEMO_DOMAIN_SUFFIX):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role__in=MFA_ROLES).exists()


def works_at_a_school(user) -> bool:
    """Staff for the session timeout: a role at a school or a Staff record."""
    return Membership.objects.filter(user=user).exists() or Staff.objects.filter(user=user).exists()


def idle_seconds(user) -> int:
    """How long a session of `user` lasts without activity."""
    if works_at_a_school(user):
        return settings.SESSION_IDLE_MINUTES_STAFF * 60
    return settings.SESSION_IDLE_MINUTES_PARENT * 60


def start_session(request, user) -> None:
    """At sign-in: the idle timeout for this user, and which second step is still due."""
    session = request.session
    session.set_expiry(idle_seconds(user))
    session[SESSION_TOUCHED] = int(time.time())
    if user_has_device(user):
        session[SESSION_MFA] = MFA_VERIFY
    elif mfa_required(user):
        session[SESSION_MFA] = MFA_ENROL
    else:
        session.pop(SESSION_MFA, None)


def touch_session(request) -> None:
    """Push the idle timeout back, at most once a TOUCH_INTERVAL (a save is a write)."""
    session = request.session
    now = int(time.time())
    touched = session.get(SESSION_TOUCHED)
    if touched is None:
        # A session from before this rule: give it its timeout once.
        session.set_expiry(idle_seconds(request.user))
    elif now - touched < TOUCH_INTERVAL:
        return
    # Saving the session sets its expiry to now plus the idle seconds stored with it.
    session[SESSION_TOUCHED] = now


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address
    the outermost of them added to X-Forwarded-For (what a client sends itself is ignored)."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR") or None


def login_username(request, credentials) -> str | None:
    """The account django-axes counts failures against: e-mail matches ignore case."""
    username = (credentials or {}).get(User.USERNAME_FIELD) or (credentials or {}).get("username")
    if not username and request is not None:
        username = request.POST.get("username")
    return username.strip().lower() if username else None


def record_sign_in(request, *, outcome, user=None, email="") -> SignInEvent:
    """Log one sign-in attempt with the address and browser it came from."""
    meta = request.META if request is not None else {}
    return SignInEvent.objects.create(
        user=user,
        email=(email or (user.email if user else ""))[:254],
        outcome=outcome,
        ip_address=client_ip(request) if request is not None else None,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:300],
    )


@receiver(user_logged_in, dispatch_uid="schools.security.signed_in")
def signed_in(sender, request, user, **kwargs):
    if request is None:
        return
    record_sign_in(request, outcome=SignInEvent.Outcome.SUCCEEDED, user=user)
    if hasattr(request, "session"):
        start_session(request, user)


@receiver(user_login_failed, dispatch_uid="schools.security.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    email = login_username(request, credentials) or ""
    # django-axes' receiver runs first (its app is listed before ours) and flags a lockout.
    locked = getattr(request, "axes_locked_out", False)
    record_sign_in(
        request,
        outcome=SignInEvent.Outcome.LOCKED_OUT if locked else SignInEvent.Outcome.FAILED,
        user=User.objects.filter(email__iexact=email).first() if email else None,
        email=email,
    )


@checks.register(checks.Tags.security, deploy=True)
def check_two_factor_settings(app_configs, **kwargs):
    """`check --deploy` fails while the demo waiver is on in production."""
    if settings.DEBUG:
        return []
    problems = []
    if settings.MFA_DEMO_WAIVER:
        problems.append(
            checks.Error(
                "MFA_DEMO_WAIVER is on without DEBUG: demo accounts sign in without a second "
                "factor.",
                hint="Unset MFA_DEMO_WAIVER; it is for `make run` only.",
                id="schools.E001",
            )
        )
    if not settings.MFA_REQUIRED:
        problems.append(
            checks.Warning(
                "MFA_REQUIRED is off: the board, directors and incident handlers sign in "
                "without a second factor (Normenkader IBP, MFA).",
                hint="Unset MFA_REQUIRED or set it to 1.",
                id="schools.W001",
            )
        )
    return problems
