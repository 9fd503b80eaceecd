"""Model choice fields answer an absurd id with a form error, not a server error."""

import pytest
from django.core.exceptions import ValidationError

from schools.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from schools.models import School

pytestmark = pytest.mark.django_db

HUGE = "9" * 40  # SQLite raises OverflowError on a lookup with this


def test_an_absurd_id_is_an_invalid_choice(school):
    field = BoundedModelChoiceField(queryset=School.objects.all())
    with pytest.raises(ValidationError) as raised:
        field.clean(HUGE)
    assert raised.value.code == "invalid_choice"


def test_an_absurd_id_among_many_is_an_invalid_choice(school):
    field = BoundedModelMultipleChoiceField(queryset=School.objects.all())
    with pytest.raises(ValidationError) as raised:
        field.clean([str(school.pk), HUGE])
    assert raised.value.code == "invalid_choice"


def test_a_real_id_still_works(school):
    field = BoundedModelMultipleChoiceField(queryset=School.objects.all())
    assert list(field.clean([str(school.pk)])) == [school]
