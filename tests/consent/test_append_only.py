"""The ledgers are append-only: the model, the queryset and the database refuse changes."""

import pytest
from django.db import IntegrityError, connection, transaction

from consent import ledger
from consent.models import ActivityAnswer, AppendOnlyError, ConsentEvent
from tests.consent.conftest import TODAY
from tests.factories import ActivityRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(pupil, mother, public_purpose):
    return ledger.record_choice(
        subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY
    )


@pytest.fixture
def answer(pupil, mother, school):
    request = ActivityRequestFactory(school=school, pupils=[pupil])
    return ledger.record_activity_answer(
        request=request, pupil=pupil, choice=True, by=mother, today=TODAY
    )


def test_append_only_model_refuses_save_of_existing_event(event):
    event.choice = False
    with pytest.raises(AppendOnlyError):
        event.save()


def test_append_only_model_refuses_delete(event):
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_append_only_queryset_refuses_update(event):
    with pytest.raises(AppendOnlyError):
        ConsentEvent.objects.filter(pk=event.pk).update(choice=False)


def test_append_only_queryset_refuses_delete(event):
    with pytest.raises(AppendOnlyError):
        ConsentEvent.objects.all().delete()


def test_append_only_activity_answer_refuses_save_and_update(answer):
    with pytest.raises(AppendOnlyError):
        answer.save()
    with pytest.raises(AppendOnlyError):
        ActivityAnswer.objects.update(choice=False)


def _raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize("table", ["consent_consentevent", "consent_activityanswer"])
def test_append_only_database_refuses_raw_update(table, event, answer):
    pk = event.pk if table == "consent_consentevent" else answer.pk
    with pytest.raises(IntegrityError):
        _raw(f"UPDATE {table} SET choice = %s WHERE id = %s", [False, pk])


@pytest.mark.parametrize("table", ["consent_consentevent", "consent_activityanswer"])
def test_append_only_database_refuses_raw_delete(table, event, answer):
    pk = event.pk if table == "consent_consentevent" else answer.pk
    with pytest.raises(IntegrityError):
        _raw(f"DELETE FROM {table} WHERE id = %s", [pk])


def test_append_only_database_guard_is_back_after_a_purge(event, pupil, mother, public_purpose):
    ledger.purge_rows(ConsentEvent.objects.filter(pk=event.pk))
    second = ledger.record_choice(
        subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY
    )
    with pytest.raises(IntegrityError):
        _raw("DELETE FROM consent_consentevent WHERE id = %s", [second.pk])


def test_purge_deletes_through_the_guard(event):
    assert (ledger.purge_rows(ConsentEvent.objects.all()), ConsentEvent.objects.count()) == (1, 0)
