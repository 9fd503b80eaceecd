"""PDFs that take seconds are made by a task and stored: the decision log once per state of
the log, an adopted version once per school; while the worker is at it, the page says so."""

import io
from datetime import date

import pytest
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from protocols.models import DecisionLogPdf
from tests.protocols.views.helpers import url
from tests.protocols.views.test_version_adopt import to_adoption

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def refuse_rendering(monkeypatch):
    def render(*args, **kwargs):
        raise AssertionError("the PDF was rendered again")

    monkeypatch.setattr("protocols.pdf.weasyprint.HTML", render)
    monkeypatch.setattr("protocols.record.log_html", render)


def test_the_second_download_is_the_stored_pdf(client, submitted, director, monkeypatch):
    client.force_login(director)
    first = pdf_text(client.get(url("decision_log_pdf", submitted.protocol_id)))
    refuse_rendering(monkeypatch)
    again = pdf_text(client.get(url("decision_log_pdf", submitted.protocol_id)))
    assert "Besluitenlijst" in first
    assert again == first
    assert DecisionLogPdf.objects.filter(protocol=submitted.protocol).count() == 1


def test_a_decision_makes_the_next_download_a_new_pdf_and_drops_the_old(
    client, submitted, director, gmr_parent
):
    client.force_login(director)
    before = pdf_text(client.get(url("decision_log_pdf", submitted.protocol_id)))
    old = DecisionLogPdf.objects.get()
    to_adoption(submitted, director, gmr_parent)
    after = pdf_text(client.get(url("decision_log_pdf", submitted.protocol_id)))
    assert "Niet in de statuten." not in before
    assert "Niet in de statuten." in after
    assert list(DecisionLogPdf.objects.values_list("pk", flat=True)) != [old.pk]
    assert not old.file.storage.exists(old.file.name)


def test_a_change_of_the_evaluation_date_makes_a_new_pdf(client, submitted, director, gmr_parent):
    to_adoption(submitted, director, gmr_parent)
    client.force_login(director)
    path = url("decision_log_pdf", submitted.protocol_id)
    assert "14-03-2031" not in pdf_text(client.get(path))
    submitted.refresh_from_db()
    submitted.evaluation_date = date(2031, 3, 14)
    submitted.save()
    assert "14-03-2031" in pdf_text(client.get(path))


def _rename(submitted, director, what: str, name: str) -> None:
    if what == "protocol":
        submitted.protocol.title = name
        submitted.protocol.save()
    elif what == "stichting":
        submitted.protocol.stichting.name = name
        submitted.protocol.stichting.save()
    elif what == "council":
        council = submitted.steps.exclude(council=None).first().council
        council.name = name
        council.save()
    else:
        director.first_name, director.last_name = name, "Visser"
        director.save()


@pytest.mark.parametrize("what", ["protocol", "stichting", "council", "submitter"])
def test_a_new_name_in_the_log_makes_a_new_pdf(client, submitted, director, what):
    # The state is worked out from the rows the log is made of: each name it shows is one.
    client.force_login(director)
    path = url("decision_log_pdf", submitted.protocol_id)
    assert "Zwaluwstaart" not in pdf_text(client.get(path))
    _rename(submitted, director, what, "Zwaluwstaart")
    assert "Zwaluwstaart" in pdf_text(client.get(path))
    assert DecisionLogPdf.objects.count() == 1


def test_with_a_worker_the_page_says_the_pdf_is_being_made_until_it_is(
    client, submitted, director, task_worker
):
    client.force_login(director)
    path = url("decision_log_pdf", submitted.protocol_id)
    waiting = client.get(path)
    html = waiting.content.decode()
    again = waiting.context["again"]
    assert waiting.status_code == 202
    assert "De PDF wordt gemaakt" in html
    assert f'content="3;url={again}"' in html
    assert DBTaskResult.objects.ready().count() == 1

    assert client.get(path + again).status_code == 202
    assert DBTaskResult.objects.ready().count() == 1, "looking again does not ask again"

    task_worker()
    assert "Besluitenlijst" in pdf_text(client.get(path + again))


def test_a_change_while_waiting_asks_for_the_new_state(
    client, submitted, director, gmr_parent, task_worker
):
    client.force_login(director)
    path = url("decision_log_pdf", submitted.protocol_id)
    again = client.get(path).context["again"]
    to_adoption(submitted, director, gmr_parent)
    assert client.get(path + again).status_code == 202
    assert DBTaskResult.objects.ready().count() == 2
    task_worker()
    assert "Niet in de statuten." in pdf_text(client.get(path + again))
    assert DecisionLogPdf.objects.count() == 1


def test_an_adopted_pdf_the_worker_has_not_stored_yet_is_being_made(
    client, adopted, school, task_worker
):
    path = url("public_pdf", school.slug)
    waiting = client.get(path)
    assert waiting.status_code == 202
    assert "De PDF wordt gemaakt" in waiting.content.decode()
    assert waiting.context["again"] == "?wacht=1"
    client.get(path + "?wacht=1")
    assert DBTaskResult.objects.ready().count() == 1, "looking again does not ask again"

    task_worker()
    assert "Oude tekst." in pdf_text(client.get(path + "?wacht=1"))
