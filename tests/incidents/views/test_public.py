"""The public report page: no login, anonymous, limited per address, revealing nothing."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from incidents.views.public import PUBLIC_LIMIT
from tests.incidents.views.conftest import nl

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _url(school):
    return reverse("incidents:public_report", args=[school.slug])


def _data(categories, **fields):
    data = {
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "online",
        "platform": "snapchat",
        "categories": [categories["cyberpesten"].pk],
        "description": "Ik word elke avond uitgescholden in een groep.",
        "account_or_link": "",
        "seen_at": "",
        "contact_address": "",
        "website": "",
    }
    data.update(fields)
    return data


def _without_tokens(content: bytes) -> str:
    """The page without what changes from request to request: the token and the time now."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())
    return re.sub(r'value="\d{4}-\d\d-\d\dT\d\d:\d\d"', "", text)


def test_public_report_needs_no_login(client, school, categories):
    response = client.get(_url(school))
    assert (response.status_code, school.name in response.content.decode()) == (200, True)


def test_public_report_arrives_anonymous_and_unverified_for_the_coordinator(
    client, school, categories, anti_bullying, director
):
    client.post(_url(school), _data(categories, contact_address="hulp@example.org"))
    incident = Incident.objects.get()
    assert (
        incident.reported_by,
        incident.reporter_kind,
        incident.unverified,
        incident.contact_address,
        list(incident.routed_to.all()),
    ) == (None, "public", True, "hulp@example.org", [anti_bullying])


def test_public_report_thanks_without_a_number(client, school, categories, anti_bullying):
    response = client.post(_url(school), _data(categories), follow=True)
    incident = Incident.objects.get()
    content = response.content.decode()
    number = nl("Incident %(number)s") % {"number": incident.pk}
    assert (
        nl("Thank you. Your report has been sent.") in content,
        number in content,
        incident.get_absolute_url() in content,
    ) == (True, False, False)


def test_public_report_sixth_report_in_an_hour_is_refused_and_nothing_stored(
    client, school, categories, anti_bullying
):
    for _ in range(PUBLIC_LIMIT):
        client.post(_url(school), _data(categories))
    response = client.post(_url(school), _data(categories))
    refused = nl(
        "You have sent several reports from this connection in a short time. Nothing has "
        "been stored. Try again in an hour, or tell a teacher or the confidential counsellor "
        "of the school."
    )
    assert (response.status_code, refused in response.content.decode()) == (429, True)
    assert Incident.objects.count() == PUBLIC_LIMIT


def test_public_report_limit_is_per_address(client, school, categories, anti_bullying):
    for _ in range(PUBLIC_LIMIT):
        client.post(_url(school), _data(categories), REMOTE_ADDR="10.0.0.1")
    response = client.post(_url(school), _data(categories), REMOTE_ADDR="10.0.0.2")
    assert (response.status_code, Incident.objects.count()) == (302, PUBLIC_LIMIT + 1)


def test_public_report_limit_is_per_school(client, school, categories, anti_bullying):
    from tests.factories import SchoolFactory

    other = SchoolFactory(stichting=school.stichting)
    for _ in range(PUBLIC_LIMIT):
        client.post(_url(school), _data(categories))
    response = client.post(_url(other), _data(categories))
    assert response.status_code == 302


def test_public_report_reveals_nothing_about_other_reports(
    client, school, categories, anti_bullying, report
):
    before_get = _without_tokens(client.get(_url(school)).content)
    before_post = client.post(_url(school), _data(categories), follow=True)
    for _ in range(3):
        report("bedreigen")
    after_get = _without_tokens(client.get(_url(school)).content)
    after_post = client.post(_url(school), _data(categories), follow=True)
    assert (
        before_get == after_get,
        _without_tokens(before_post.content) == _without_tokens(after_post.content),
    ) == (True, True)


def test_public_report_honeypot_stores_nothing_and_says_thank_you(
    client, school, categories, anti_bullying
):
    response = client.post(_url(school), _data(categories, website="http://spam.example"))
    assert (response.status_code, Incident.objects.count()) == (302, 0)


def test_public_report_refuses_an_image_in_the_description(
    client, school, categories, anti_bullying
):
    data = _data(categories, description="data:image/jpeg;base64,/9j/4AAQSkZJRg==")
    response = client.post(_url(school), data)
    assert (response.status_code, Incident.objects.count()) == (200, 0)


def test_public_report_shows_the_image_guardrail(client, school, categories):
    content = client.get(_url(school)).content.decode()
    assert ('data-testid="image-guardrail"' in content, "Helpwanted.nl" in content) == (True, True)


def test_public_report_is_404_for_outsider(client, outsider, school):
    """The page is public, so the only thing to miss is a school that does not exist."""
    client.force_login(outsider)
    assert client.get(reverse("incidents:public_report", args=["geen-school"])).status_code == 404


JUNK = [
    {},
    {"occurred_at": "gisteren", "place": "", "categories": ["abc"]},
    {"occurred_at": "9999-99-99T99:99", "contact_address": "not-an-address"},
    {"description": "z" * 300_000, "contact_address": "a" * 400 + "@example.org"},
    {"description": "\x00\x07\x1b", "platform": ["whatsapp", "x"]},
    {"seen_at": "-1", "website": ""},
    {"categories": "1' OR '1'='1", "description": "<script>alert(1)</script>"},
]


@pytest.mark.parametrize("junk", JUNK)
def test_public_report_never_fails_on_junk(client, school, categories, anti_bullying, junk):
    data = _data(categories)
    data.update(junk)
    if not junk:
        data = {}
    response = client.post(_url(school), data)
    assert response.status_code in (200, 302)
