import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from two_factor.utils import default_device
from two_factor.views import DisableView

from schools import access, security, services, waiting
from schools.edexml import EdexFile, read_export
from schools.forms import (
    PupilImportConfirmForm,
    PupilImportUploadForm,
    RecoveryCodeForm,
    TwoFactorCodeForm,
    pack_upload,
)
from schools.models import ClassGroup, Council, Pupil, School, SignInEvent, school_year_of
from schools.pupil_import import (
    ImportRefused,
    import_pupils,
    invite,
    make_plan,
    pending_accounts,
    pending_overview,
    summarise,
)
from schools.rules import age_on, pupil_decides

logger = logging.getLogger(__name__)


def home(request):
    """What waits for this user, and where they belong."""
    reach = access.reach(request.user)
    today = timezone.localdate()
    children = [
        {
            "guardianship": g,
            "age": age_on(g.pupil.birth_date, today),
            "pupil_decides": pupil_decides(g.pupil.birth_date, today),
        }
        for g in reach.guardianships
    ]
    own = reach.own_pupil
    context = {
        "reach": reach,
        "schools": reach.schools[:HOME_SCHOOLS],
        "more_schools": len(reach.schools) - HOME_SCHOOLS,
        "children": children,
        "own_pupil_decides": bool(own and pupil_decides(own.birth_date, today)),
        # "Wacht op jou": every app's items (settings.PORTAL_WAITING_PROVIDERS), soonest first.
        "tasks": waiting.items_for(request.user),
    }
    return render(request, "schools/home.html", context)


# The home page lists this many of the user's schools; a board sees the rest on `school_list`.
HOME_SCHOOLS = 8
SCHOOLS_PER_PAGE = 25


def school_list(request):
    """All schools the user belongs to, with what they are there: searchable by name and
    place, a page at a time (a board of 107 schools would make the home page scroll forever)."""
    reach = access.reach(request.user)
    query = " ".join(request.GET.get("q", "").split())[:100]
    words = query.lower().split()
    schools = [
        (school, roles)
        for school, roles in reach.schools
        if all(word in f"{school.name} {school.city}".lower() for word in words)
    ]
    page = Paginator(schools, SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"reach": reach, "page": page, "query": query, "total": len(reach.schools)}
    return render(request, "schools/school_list.html", context)


def school_detail(request, slug):
    school = get_object_or_404(
        School.objects.for_user(request.user).select_related("stichting"), slug=slug
    )
    today = timezone.localdate()
    groups = (
        # Everyone with access to the school sees its group names; pupil lists stay scoped.
        school.groups.filter(school_year=school_year_of(today))
        .annotate(
            pupil_count=Count(
                "pupils",
                filter=Q(pupils__start_date__lte=today)
                & (Q(pupils__leave_date__isnull=True) | Q(pupils__leave_date__gt=today)),
            )
        )
        .order_by("name")
    )
    visible_groups = set(
        ClassGroup.objects.for_user(request.user).filter(school=school).values_list("pk", flat=True)
    )
    councils = (
        Council.objects.for_user(request.user)
        .filter(Q(school=school) | Q(school__isnull=True, stichting=school.stichting_id))
        .annotate(member_count=Count("members"))
    )
    context = {
        "school": school,
        "groups": groups,
        "visible_groups": visible_groups,
        "councils": councils,
        "pupil_count": school.pupils.enrolled_on(today).count(),
        "may_import_pupils": School.objects.for_user(request.user, access.MANAGING_ROLES)
        .filter(pk=school.pk)
        .exists(),
    }
    return render(request, "schools/school_detail.html", context)


def group_detail(request, pk):
    group = get_object_or_404(
        ClassGroup.objects.for_user(request.user).select_related("school"), pk=pk
    )
    today = timezone.localdate()
    pupils = [
        {
            "pupil": pupil,
            "age": age_on(pupil.birth_date, today),
            "pupil_decides": pupil_decides(pupil.birth_date, today),
        }
        for pupil in Pupil.objects.for_user(request.user).filter(group=group).enrolled_on(today)
    ]
    return render(request, "schools/group_detail.html", {"group": group, "pupils": pupils})


@login_not_required
@never_cache
def healthz(request):
    """Liveness for the load balancer: the process answers; no database round trip."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@never_cache
def readyz(request):
    """Readiness for the load balancer: the database answers, and so does the task queue in it
    when tasks go through the database backend. 503 when either does not."""
    try:
        queued = services.readiness()
    except DatabaseError:
        logger.exception("Not ready: the database does not answer")
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse(f"ok\nqueued tasks: {queued}", content_type="text/plain")


@login_not_required
def accessibility(request):
    """The toegankelijkheidsverklaring (accessibility statement) of this deployment."""
    return render(
        request, "schools/accessibility.html", {"contact": settings.ACCESSIBILITY_CONTACT}
    )


def _managed_school(request, slug) -> School:
    """The school `slug` if the user directs it or sits on its board; 404 otherwise."""
    return get_object_or_404(
        School.objects.for_user(request.user, access.MANAGING_ROLES), slug=slug
    )


def _import_salt(school, user) -> str:
    # A preview signed for one school and person cannot be replayed at another school.
    return f"schools.pupil_import:{school.pk}:{user.pk}"


def pupil_import(request, slug):
    """Upload the pupil administration's EDEXML or CSV, see what would change, then import it."""
    school = _managed_school(request, slug)
    if request.method == "POST" and request.POST.get("step") == "import":
        return _pupil_import_save(request, school)
    form = PupilImportUploadForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        return _pupil_import_preview(request, school, form.cleaned_data["file"])
    return render(request, "schools/pupil_import.html", {"school": school, "form": form})


def _pupil_import_preview(request, school, data, *, stale=False, plan=None):
    today = timezone.localdate()
    parsed = read_export(data, today=today)
    if plan is None:
        plan = make_plan(parsed, school=school, today=today)
    confirm, too_large = None, False
    if plan.ok:
        payload = pack_upload(data, salt=_import_salt(school, request.user))
        too_large = payload is None
        if payload:
            confirm = PupilImportConfirmForm(
                initial={"payload": payload, "fingerprint": plan.fingerprint()},
                salt=_import_salt(school, request.user),
            )
    context = {
        "school": school,
        "plan": plan,
        "summary": summarise(plan, confirm_left=False, written=False),
        "confirm": confirm,
        "too_large": too_large,
        "stale": stale,
        "upload": PupilImportUploadForm(),
        "edexml": parsed if isinstance(parsed, EdexFile) else None,
    }
    return render(request, "schools/pupil_import_preview.html", context)


def _pupil_import_save(request, school):
    form = PupilImportConfirmForm(request.POST, salt=_import_salt(school, request.user))
    if not form.is_valid():
        messages.error(request, _("The checked file has expired or was changed; upload it again."))
        return redirect("schools:pupil_import", school.slug)
    data = form.cleaned_data["payload"]
    today = timezone.localdate()
    try:
        plan, summary = import_pupils(
            read_export(data, today=today),
            school=school,
            today=today,
            confirm_left=form.cleaned_data["confirm_left"],
            expected=form.cleaned_data["fingerprint"],
        )
    except ImportRefused as refused:
        # Someone changed the pupils since the preview: show what the import would do now.
        return _pupil_import_preview(request, school, data, stale=True, plan=refused.plan)
    messages.success(
        request,
        _(
            "Import done: %(new)s new, %(changed)s changed, %(left)s marked as left, "
            "%(groups)s groups and %(accounts)s accounts created; the new accounts are invited."
        )
        % {
            "new": summary.new,
            "changed": summary.changed,
            "left": summary.left,
            "groups": summary.groups_created,
            "accounts": summary.accounts_created,
        }
        + (
            " "
            + _("Teachers: %(new)s added, %(changed)s updated.")
            % {"new": summary.teachers_new, "changed": summary.teachers_changed}
            if summary.teachers_new or summary.teachers_changed
            else ""
        ),
    )
    return redirect(school)


def invitation_list(request, slug):
    """Parents' and pupils' accounts of the school that were never activated."""
    school = _managed_school(request, slug)
    today = timezone.localdate()
    page = Paginator(pending_accounts(school, today=today), 50).get_page(request.GET.get("page"))
    context = {
        "school": school,
        "page": page,
        "accounts": pending_overview(page.object_list, school=school),
    }
    return render(request, "schools/invitation_list.html", context)


@require_POST
def invitation_resend(request, slug, pk):
    """Send an account's invitation again: a new link, at most once a day."""
    school = _managed_school(request, slug)
    today = timezone.localdate()
    user = get_object_or_404(pending_accounts(school, today=today), pk=pk)
    if invite(user, school=school, today=today):
        messages.success(
            request, _("The invitation was sent again to %(email)s.") % {"email": user.email}
        )
    else:
        messages.info(
            request,
            _("%(email)s was invited today already; you can send it again tomorrow.")
            % {"email": user.email},
        )
    return redirect("schools:invitation_list", school.slug)


def signin_history(request, slug):
    """Who of the school's staff signed in when and from where, failures included (SM.04)."""
    school = _managed_school(request, slug)
    events = SignInEvent.objects.for_user(request.user, school).select_related("user")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "schools/signin_history.html", {"school": school, "page": page})


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else settings.LOGIN_REDIRECT_URL


@never_cache
def two_factor_verify(request):
    """The second step of signing in: a code from the app, or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    recovery = bool(request.GET.get("herstel") or request.POST.get("herstel"))
    if recovery:
        device = next((d for d in devices_for_user(user) if isinstance(d, StaticDevice)), None)
        form_class = RecoveryCodeForm
    else:
        device = default_device(user)
        form_class = TwoFactorCodeForm
    form = form_class(user=user, initial_device=device, data=request.POST or None)
    if form.is_valid():
        otp_login(request, user.otp_device)
        security.record_sign_in(request, outcome=SignInEvent.Outcome.CODE_SUCCEEDED, user=user)
        return redirect(_next_url(request))
    if form.is_bound:
        security.record_sign_in(request, outcome=SignInEvent.Outcome.CODE_FAILED, user=user)
    context = {"form": form, "recovery": recovery, "next": _next_url(request)}
    return render(request, "registration/two_factor_verify.html", context)


def two_factor_profile(request):
    """Two-factor login for this account: on or off, recovery codes left, enrol or turn off."""
    user = request.user
    static = next((d for d in devices_for_user(user) if isinstance(d, StaticDevice)), None)
    context = {
        "device": default_device(user),
        "recovery_codes_left": static.token_set.count() if static else 0,
        "required": security.mfa_required(user),
    }
    return render(request, "two_factor/profile/profile.html", context)


def two_factor_disable(request):
    """Turn two-factor login off: only for whoever it is offered to, not required of."""
    if security.mfa_required(request.user):
        raise Http404
    view = DisableView.as_view(
        template_name="two_factor/profile/disable.html",
        success_url=reverse_lazy("schools:two_factor_profile"),
    )
    return view(request)


def login_locked_out(request, response, credentials):
    """django-axes' answer to a locked-out login: the same for every address typed."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
