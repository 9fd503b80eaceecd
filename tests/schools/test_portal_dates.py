"""Dates on web pages are kept on one line, in Amsterdam time, as dd-mm-jjjj."""

from datetime import UTC, date, datetime

from django.template import Context, Template
from django.utils import timezone, translation


def render(source: str, **context) -> str:
    return Template("{% load portal_dates %}" + source).render(Context(context))


def test_a_day_is_dd_mm_yyyy_on_one_line():
    assert (
        render("{{ d|day }}", d=date(2026, 2, 3)) == '<span class="text-nowrap">03-02-2026</span>'
    )


def test_a_moment_is_shown_in_amsterdam_time():
    # 23:30 UTC on 31 December is half past midnight on New Year's Day in Amsterdam (CET).
    at = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert render("{{ at|moment }}", at=at) == '<span class="text-nowrap">01-01-2027 00:30</span>'


def test_no_date_prints_nothing_so_a_default_still_applies():
    assert (render("{{ d|day }}", d=None), render('{{ d|day|default:"–" }}', d=None)) == ("", "–")


def test_a_date_inside_a_translated_sentence_stays_one_piece():
    with translation.override("en"):
        html = render(
            "{% load i18n %}"
            "{% blocktranslate with date=d|day %}From {{ date }}{% endblocktranslate %}",
            d=date(2026, 8, 1),
        )
    assert html == 'From <span class="text-nowrap">01-08-2026</span>'


def test_one_instant_is_shown_in_the_time_zone_of_the_page_each_time():
    # The formatted dates are remembered: an instant shown in Amsterdam time must not come
    # back when the same instant is shown in another zone.
    at = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    amsterdam = render("{{ at|moment }}", at=at)
    with timezone.override("UTC"):
        utc = render("{{ at|moment }} {{ at|day }}", at=at)
    assert (amsterdam, utc) == (
        '<span class="text-nowrap">01-01-2027 00:30</span>',
        '<span class="text-nowrap">31-12-2026 23:30</span> '
        '<span class="text-nowrap">31-12-2026</span>',
    )
