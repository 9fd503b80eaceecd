"""Dates on web pages that never break over two lines: "01-12-" at a line's end, "2026" below.

`{{ value|day }}` and `{{ value|moment }}` print the localised short date and date-time (dd-mm-jjjj,
Amsterdam time) kept on one line; an empty value prints nothing, so `|default:"–"` still works.
Plain text (e-mails, CSV) keeps Django's `date` filter.
"""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html

register = template.Library()


def _nowrap(text: str) -> str:
    return format_html('<span class="text-nowrap">{}</span>', text) if text else ""


@register.filter(expects_localtime=True, is_safe=False)
def day(value) -> str:
    return _nowrap(date_filter(value, "SHORT_DATE_FORMAT"))


@register.filter(expects_localtime=True, is_safe=False)
def moment(value) -> str:
    return _nowrap(date_filter(value, "SHORT_DATETIME_FORMAT"))
