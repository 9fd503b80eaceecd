from django import template

from protocols.rendering import render_body, render_text

register = template.Library()


@register.simple_tag
def section_body(section, school=None):
    """The section's body as safe HTML, with the school's name in its placeholders."""
    return render_body(
        section.body, school_name=school.name if school else None, prefix=f"s{section.pk}"
    )


@register.filter
def for_school(text, school=None):
    """A heading or title with `[naam school]` filled in for `school`."""
    return render_text(text, school_name=school.name if school else None)
