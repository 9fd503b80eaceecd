"""Dates on web pages that never break over two lines: "01-12-" at a line's end, "2026" below.

`{{ value|day }}` and `{{ value|moment }}` print the localised short date and date-time (dd-mm-jjjj,
Amsterdam time) kept on one line; an empty value prints nothing, so `|default:"–"` still works.
Plain text (e-mails, CSV) keeps Django's `date` filter.
"""

import functools

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.formats import get_format
from django.utils.html import format_html

register = template.Library()


def _nowrap(text: str) -> str:
    return format_html('<span class="text-nowrap">{}</span>', text) if text else ""


@functools.lru_cache(maxsize=4096)
def _on_one_line(value, as_written: str, format_string: str) -> str:
    # A page prints the same few dates many times (a decision log: a hundred and more), and
    # formatting one through Django's date filter is most of a table cell's cost.
    return _nowrap(date_filter(value, format_string))


def _formatted(value, setting: str) -> str:
    if value in (None, ""):
        return ""
    # The key holds the format of the active language (config/formats) and the value as
    # written: one instant in two time zones is a single dict key, but not the same text.
    as_written = value.isoformat() if hasattr(value, "isoformat") else ""
    try:
        return _on_one_line(value, as_written, get_format(setting))
    except TypeError:  # not hashable: format it as it is
        return _nowrap(date_filter(value, get_format(setting)))


@register.filter(expects_localtime=True, is_safe=False)
def day(value) -> str:
    return _formatted(value, "SHORT_DATE_FORMAT")


@register.filter(expects_localtime=True, is_safe=False)
def moment(value) -> str:
    return _formatted(value, "SHORT_DATETIME_FORMAT")
