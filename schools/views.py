from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from schools import access, waiting
from schools.models import ClassGroup, Council, Pupil, School, school_year_of
from schools.rules import age_on, pupil_decides


def home(request):
    """What waits for this user, and where they belong."""
    reach = access.reach_for_request(request)
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
        "children": children,
        "own_pupil_decides": bool(own and pupil_decides(own.birth_date, today)),
        # "Wacht op jou": every app's items (settings.PORTAL_WAITING_PROVIDERS), soonest first.
        "tasks": waiting.items_for(request.user),
    }
    return render(request, "schools/home.html", context)


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
def accessibility(request):
    """The toegankelijkheidsverklaring (accessibility statement) of this deployment."""
    return render(
        request, "schools/accessibility.html", {"contact": settings.ACCESSIBILITY_CONTACT}
    )
