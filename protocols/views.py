from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from protocols import pdf
from protocols.diff import diff_sections
from protocols.models import Protocol, ProtocolVersion, has_adopted_protocol
from schools.models import School


def _school_view(version: ProtocolVersion, school: School | None) -> dict:
    """What a reader sees of `version`: board text, then the school's addendum."""
    sections = list(version.sections.all())
    return {
        "version": version,
        "school": school,
        "board_sections": [s for s in sections if s.school_id is None],
        "addendum": [s for s in sections if school and s.school_id == school.pk],
        "procedure": list(version.procedure_records.all()),
    }


@login_not_required
def public_index(request):
    """The schools that have an adopted protocol, so a parent can find their own."""
    schools = School.objects.public().filter(has_adopted_protocol()).select_related("stichting")
    return render(request, "protocols/public_index.html", {"schools": schools})


@login_not_required
def public_school(request, slug, pk=None):
    """The adopted protocol(s) of a school: the page the schoolgids links to."""
    school = get_object_or_404(School.objects.public().select_related("stichting"), slug=slug)
    versions = ProtocolVersion.objects.public().applying_to(school).select_related("protocol")
    if pk is not None:
        shown = [get_object_or_404(versions, pk=pk)]
    else:
        shown = [v for v in versions if v.status == ProtocolVersion.Status.ADOPTED]
    context = {
        "school": school,
        "documents": [_school_view(version, school) for version in shown],
        "older": [v for v in versions if v not in shown],
    }
    return render(request, "protocols/public_school.html", context)


@login_not_required
def public_pdf(request, slug, pk=None):
    """The stored PDF of the school's adopted protocol (or of one older adopted version)."""
    school = get_object_or_404(School.objects.public(), slug=slug)
    versions = ProtocolVersion.objects.public().applying_to(school).select_related("protocol")
    if pk is not None:
        version = get_object_or_404(versions, pk=pk)
    else:
        version = versions.filter(status=ProtocolVersion.Status.ADOPTED).first()
        if version is None:
            raise Http404("No adopted protocol.")
    stored = pdf.stored_pdf(version, school=school)
    filename = f"{version.protocol.title} - {school.name} - versie {version.number}.pdf"
    return FileResponse(stored.file.open("rb"), content_type="application/pdf", filename=filename)


def protocol_list(request):
    """The protocols of the user's schools and councils, with their versions."""
    protocols = (
        Protocol.objects.for_user(request.user)
        .select_related("stichting", "school")
        .prefetch_related("versions")
    )
    return render(request, "protocols/protocol_list.html", {"protocols": protocols})


def version_detail(request, pk):
    version = get_object_or_404(
        ProtocolVersion.objects.for_user(request.user).select_related(
            "protocol__stichting", "protocol__school", "created_by"
        ),
        pk=pk,
    )
    context = _school_view(version, version.protocol.school)
    context["other_versions"] = version.protocol.versions.exclude(pk=version.pk)
    return render(request, "protocols/version_detail.html", context)


def version_diff(request, pk, other_pk):
    """What changed from version `other_pk` to version `pk`: the first thing a council reads."""
    versions = ProtocolVersion.objects.for_user(request.user).select_related("protocol")
    version = get_object_or_404(versions, pk=pk)
    other = get_object_or_404(versions.filter(protocol=version.protocol_id), pk=other_pk)
    sections = {
        v.pk: [(s.heading, s.body) for s in v.sections.all() if s.school_id is None]
        for v in (version, other)
    }
    diff = diff_sections(sections[other.pk], sections[version.pk])
    context = {
        "version": version,
        "other": other,
        "diff": diff,
        "words_added": sum(d.words_added for d in diff),
        "words_removed": sum(d.words_removed for d in diff),
        "versions": version.protocol.versions.exclude(pk=version.pk),
    }
    return render(request, "protocols/version_diff.html", context)
