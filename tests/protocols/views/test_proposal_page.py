"""The proposal page: what changed comes first, with the diff and a PDF to print; the public
page keeps the version in force until a newly adopted one takes effect."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from protocols.models import ProtocolVersion
from tests.factories import ProtocolVersionFactory
from tests.protocols.helpers import today
from tests.protocols.views.helpers import dmy, text, url

pytestmark = pytest.mark.django_db
Status = ProtocolVersion.Status


def test_proposal_page_leads_with_what_changed(client, proposal, director):
    client.force_login(director)
    page = text(client.get(proposal.get_absolute_url()).content.decode())
    changes = page.index("Wat is er veranderd Herzien.")
    assert changes < page.index("Besluitvorming")


def test_proposal_page_links_the_diff_and_the_pdf_of_the_proposal(client, proposal, director):
    client.force_login(director)
    html = client.get(proposal.get_absolute_url()).content.decode()
    diff = url("version_diff", proposal.pk, proposal.protocol.versions.get(number=1).pk)
    assert (f'href="{diff}"' in html, f'href="{url("proposal_pdf", proposal.pk)}"' in html) == (
        True,
        True,
    )


def test_procedure_dates_do_not_wrap(client, proposal, director):
    client.force_login(director)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert f'<span class="text-nowrap">{dmy(today())}</span>' in html


def test_procedure_has_a_stacked_list_for_phones(client, proposal, director):
    client.force_login(director)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert ("d-none d-md-table" in html, "d-md-none procedure-steps-stacked" in html) == (
        True,
        True,
    )


def test_proposal_pdf_is_a_pdf_named_after_the_proposal(client, proposal, director):
    client.force_login(director)
    response = client.get(url("proposal_pdf", proposal.pk))
    assert (response.content[:4], response["Content-Disposition"]) == (
        b"%PDF",
        f'attachment; filename="{proposal.protocol.title} - voorstel versie 2.pdf"',
    )


def test_proposal_pdf_is_404_for_outsider(client, proposal, outsider):
    client.force_login(outsider)
    assert client.get(url("proposal_pdf", proposal.pk)).status_code == 404


def adopt_later(adopted, days):
    """Version 2 adopted today, in force `days` from now; version 1 superseded."""
    newer = ProtocolVersionFactory(protocol=adopted.protocol, number=2)
    ProtocolVersion.objects.filter(pk=adopted.pk).update(status=Status.SUPERSEDED)
    ProtocolVersion.objects.filter(pk=newer.pk).update(
        status=Status.ADOPTED,
        adopted_on=today(),
        effective_date=today() + timedelta(days=days),
        evaluation_date=date(2099, 1, 1),
    )
    return ProtocolVersion.objects.get(pk=newer.pk)


def test_public_page_keeps_the_version_in_force_until_the_new_one_takes_effect(
    client, school, adopted
):
    newer = adopt_later(adopted, days=30)
    response = client.get(reverse("protocols:public_school", args=[school.slug]))
    assert (
        [d["version"] for d in response.context["documents"]],
        f"Versie 2 is vastgesteld en gaat in op {dmy(newer.effective_date)}"
        in text(response.content.decode()),
    ) == ([adopted], True)


def test_public_page_shows_the_new_version_from_its_date(client, school, adopted):
    newer = adopt_later(adopted, days=0)
    response = client.get(reverse("protocols:public_school", args=[school.slug]))
    assert [d["version"] for d in response.context["documents"]] == [newer]


def test_protocol_list_says_when_an_adopted_version_takes_effect(client, director, adopted):
    newer = adopt_later(adopted, days=30)
    client.force_login(director)
    page = text(client.get(reverse("protocols:protocol_list")).content.decode())
    assert f"vastgesteld, in werking vanaf {dmy(newer.effective_date)}" in page
