"""Middleware for accounts and requests; the rules they apply live in `schools/security.py`."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse

from schools import access, security

# What a signed-in user who still owes the second step may open: the step itself, logging out,
# the language switch and the health check.
SECOND_STEP_VIEWS = {
    security.MFA_VERIFY: {"schools:two_factor_verify", "logout", "set_language", "healthz"},
    security.MFA_ENROL: {
        "two_factor:setup",
        "two_factor:qr",
        "two_factor:setup_complete",
        "two_factor:backup_tokens",
        "logout",
        "set_language",
        "healthz",
    },
}
SECOND_STEP_PAGES = {
    security.MFA_VERIFY: "schools:two_factor_verify",
    security.MFA_ENROL: "two_factor:setup",
}


class TwoFactorMiddleware:
    """Until the second step is done in this session, every other page leads to it.

    Who owes which step is decided once, at sign-in (`security.start_session`), and kept in the
    session, so ordinary requests cost no query. Needs django-otp's OTPMiddleware before it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = request.session.get(security.SESSION_MFA)
        if step is None or not request.user.is_authenticated:
            return None
        if request.user.is_verified():
            del request.session[security.SESSION_MFA]
            return None
        if request.resolver_match.view_name in SECOND_STEP_VIEWS[step]:
            return None
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return None
        target = reverse(SECOND_STEP_PAGES[step])
        if step == security.MFA_ENROL:
            # Enrolment ends on the recovery codes, not back where the user was heading.
            return redirect(target)
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


class SessionIdleMiddleware:
    """Sessions end after SESSION_IDLE_MINUTES_STAFF or _PARENT minutes without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            security.touch_session(request)
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Pages for a signed-in user are never stored by a browser or proxy.

    A response that declares itself public (the adopted protocols anyone may read) keeps its
    own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and "public" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response


def body_limit(request) -> int:
    """The largest request body accepted at this path (settings.REQUEST_BODY_LIMITS)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return settings.REQUEST_BODY_LIMIT
    return settings.REQUEST_BODY_LIMITS.get(match.view_name, settings.REQUEST_BODY_LIMIT)


class RequestBodyLimitMiddleware:
    """Refuses a body larger than its path allows by its Content-Length, before it is read.

    Django reads only as much of a body as Content-Length announces, so the header is what
    bounds memory; DATA_UPLOAD_MAX_MEMORY_SIZE still guards the form fields after this.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request) if length else 0
        if length > limit:
            response = render(
                request, "413.html", {"limit_mb": max(1, limit // (1024 * 1024))}, status=413
            )
            # The unread body stays on the connection: close it rather than parse it as a request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class AccessScopeMiddleware:
    """Runs each request in an access scope: what it reads about its user is read once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with access.request_scope():
            return self.get_response(request)
