"""Reading links: a personal, expiring link to a proposal for someone outside the portal."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from protocols import workflow
from protocols.models import ProtocolVersion, ReadingLink
from tests.factories import ProtocolFactory, ProtocolVersionFactory, SectionFactory
from tests.protocols.views.helpers import make_link

pytestmark = pytest.mark.django_db


def create_link(client, version, **data):
    values = {"link-name": "Mr. A. Adviseur", "link-email": "adviseur@example.org"}
    values["link-days"] = 14
    return client.post(reverse("protocols:reading_link_create", args=[version.pk]), values | data)


def test_reading_link_create_mails_a_personal_expiring_link(
    client, proposal, director, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PORTAL_URL = "https://portaal.example.nl"
    client.force_login(director)
    with django_capture_on_commit_callbacks(execute=True):
        create_link(client, proposal)
    link = ReadingLink.objects.get()
    token = re.search(r"/lezen/([\w-]+)/", mailoutbox[0].body).group(1)
    url = "https://portaal.example.nl" + reverse("protocols:reading_link_read", args=[token])
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert (link.name, link.created_by, (link.expires_at - timezone.now()).days) == (
        "Mr. A. Adviseur",
        director,
        13,  # 14 days minus the moment since
    )
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["adviseur@example.org"], "Ter lezing: Protocol sociale media versie 2")
    ]
    assert url in mailoutbox[0].body
    assert "Beste Mr. A. Adviseur," in mailoutbox[0].body


def test_reading_link_create_is_404_for_outsider(client, proposal, outsider):
    client.force_login(outsider)
    assert create_link(client, proposal).status_code == 404


def test_reading_link_create_is_404_for_a_council_member(client, proposal, gmr_noord_member):
    client.force_login(gmr_noord_member)
    assert create_link(client, proposal).status_code == 404


def test_reading_link_create_is_refused_for_an_adopted_version(client, adopted, director):
    client.force_login(director)
    create_link(client, adopted)
    assert ReadingLink.objects.exists() is False


def test_reading_link_read_shows_the_proposal_and_its_changes(client, proposal, director):
    link = make_link(proposal, director)
    response = client.get(reverse("protocols:reading_link_read", args=[link.token]))
    html = response.content.decode()
    assert response.context["previous"].number == 1
    assert "Wijzigingen sinds versie 1, de laatst vastgestelde versie" in html
    removed = "[verwijderd: </span>Oude<"
    added = "[toegevoegd: </span>Nieuwe<"
    assert ("Wij spreken af." in html, removed in html, added in html) == (True, True, True)


def test_reading_link_read_is_404_after_expiry(client, proposal, director):
    link = make_link(proposal, director, expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("protocols:reading_link_read", args=[link.token])).status_code == 404


def test_reading_link_read_is_404_for_an_unknown_token(client, proposal, director):
    make_link(proposal, director)
    url = reverse("protocols:reading_link_read", args=["t0k3n-abd"])
    assert client.get(url).status_code == 404


def test_a_reading_link_grants_nothing_else(client, proposal, director):
    link = make_link(proposal, director)
    client.get(reverse("protocols:reading_link_read", args=[link.token]))
    response = client.get(proposal.get_absolute_url())
    assert (response.status_code, response.url.startswith(reverse("login"))) == (302, True)


def test_reading_link_read_without_an_adopted_version_shows_the_whole_text_as_new(
    client, director, school, gmr_noord
):
    first = ProtocolVersionFactory(
        protocol=ProtocolFactory(stichting=school.stichting),
        status=ProtocolVersion.Status.IN_PROCEDURE,
    )
    SectionFactory(version=first, body="Alles is nieuw.")
    link = make_link(first, director)
    html = client.get(reverse("protocols:reading_link_read", args=[link.token])).content.decode()
    assert "Er is geen eerder vastgestelde versie" in html
    assert "Alles is nieuw." in html


def test_reading_link_stores_only_the_hash_of_its_token(client, proposal, director):
    client.force_login(director)
    create_link(client, proposal)
    link = ReadingLink.objects.get()
    assert (len(link.token_hash), hasattr(link, "token")) == (64, False)


def test_reading_link_revoke_closes_the_link(client, proposal, director):
    link = make_link(proposal, director)
    client.force_login(director)
    response = client.post(reverse("protocols:reading_link_revoke", args=[proposal.pk, link.pk]))
    link.refresh_from_db()
    assert (response.status_code, link.revoked_by) == (302, director)
    client.logout()
    assert client.get(reverse("protocols:reading_link_read", args=[link.token])).status_code == 404


def test_reading_link_revoke_is_404_for_outsider(client, proposal, director, outsider):
    link = make_link(proposal, director)
    client.force_login(outsider)
    response = client.post(reverse("protocols:reading_link_revoke", args=[proposal.pk, link.pk]))
    link.refresh_from_db()
    assert (response.status_code, link.revoked_at) == (404, None)


def test_reading_link_revoke_is_404_for_a_council_member(
    client, proposal, director, gmr_noord_member
):
    link = make_link(proposal, director)
    client.force_login(gmr_noord_member)
    response = client.post(reverse("protocols:reading_link_revoke", args=[proposal.pk, link.pk]))
    assert response.status_code == 404


def test_reading_link_is_dead_once_the_proposal_is_withdrawn(client, proposal, director):
    link = make_link(proposal, director)
    workflow.withdraw(proposal, by=director, reason="Nieuwe inzichten.")
    assert client.get(reverse("protocols:reading_link_read", args=[link.token])).status_code == 404


@pytest.mark.parametrize("status", ["adopted", "returned", "withdrawn"])
def test_reading_link_is_dead_once_the_proposal_is_decided(client, proposal, director, status):
    link = make_link(proposal, director)
    proposal.protocol.versions.filter(status="adopted").update(status="superseded")
    ProtocolVersion.objects.filter(pk=proposal.pk).update(status=status)
    assert client.get(reverse("protocols:reading_link_read", args=[link.token])).status_code == 404
