"""The work after an adoption leaves the request: background tasks, done by a worker."""

import pytest
from django_tasks_db.models import DBTaskResult

from protocols import tasks
from protocols.models import Acknowledgement, ProtocolVersion, StoredPdf
from tests.protocols.helpers import today
from tests.protocols.views.helpers import dmy, url
from tests.protocols.views.test_version_adopt import to_adoption

pytestmark = pytest.mark.django_db


def adopt_in_browser(client, version, board_member):
    path = url("version_adopt", version.pk)
    data = {"adopt-decided_on": dmy(today()), "adopt-effective_date": dmy(today())}
    client.force_login(board_member)
    payload = client.post(path, data).context["payload"]
    return client.post(path, {"payload": payload, "confirm": "1"})


def test_adoption_answers_before_the_pdfs_and_mail_which_a_worker_then_does(
    client,
    submitted,
    director,
    gmr_parent,
    board_member,
    teacher,
    mailoutbox,
    django_capture_on_commit_callbacks,
    task_worker,
):
    to_adoption(submitted, director, gmr_parent)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = adopt_in_browser(client, submitted, board_member)
    submitted.refresh_from_db()
    queued = sorted(DBTaskResult.objects.ready().values_list("task_path", flat=True))
    before = (submitted.status, StoredPdf.objects.count(), len(mailoutbox), queued)
    assert response.status_code == 302
    assert before == (
        ProtocolVersion.Status.ADOPTED,
        0,
        0,
        [
            "protocols.tasks.announce_adoption",
            "protocols.tasks.request_acknowledgements",
            "protocols.tasks.store_adopted_pdfs",
        ],
    )

    task_worker()

    schools = set(submitted.protocol.schools_covered())
    assert {p.school for p in StoredPdf.objects.filter(version=submitted)} == schools
    assert mailoutbox, "those in the procedure are told by the worker"
    assert Acknowledgement.objects.filter(version=submitted, user=teacher).exists()
    assert not DBTaskResult.objects.ready().exists()
    assert not DBTaskResult.objects.failed().exists()


def test_a_task_that_gives_up_is_marked_failed_and_its_pdf_caught_up_by_the_daily_job(
    submitted, director, gmr_parent, board_member, monkeypatch, settings, task_worker
):
    settings.PORTAL_TASK_ATTEMPTS = 1
    to_adoption(submitted, director, gmr_parent)
    submitted.status = ProtocolVersion.Status.ADOPTED
    submitted.save()
    tasks.announce_adoption.enqueue(-1)  # a version that no longer exists
    tasks.store_adopted_pdfs.enqueue(submitted.pk)
    broken = monkeypatch.context()
    with broken as patch:
        patch.setattr("protocols.pdf.stored_pdf", lambda *a, **k: 1 / 0)
        task_worker()
    assert DBTaskResult.objects.failed().get().task_path == "protocols.tasks.announce_adoption"
    assert not StoredPdf.objects.filter(version=submitted).exists()

    assert tasks.store_missing_pdfs() == len(submitted.protocol.schools_covered())
    assert StoredPdf.objects.filter(version=submitted).exists()
