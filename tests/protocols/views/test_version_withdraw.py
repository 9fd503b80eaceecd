"""version_withdraw: the drafters end the procedure."""

import pytest

from protocols.models import ProtocolVersion
from tests.protocols.views.helpers import messages_of, url

pytestmark = pytest.mark.django_db
Status = ProtocolVersion.Status


def test_version_withdraw_ends_the_procedure(client, submitted, director):
    client.force_login(director)
    response = client.post(
        url("version_withdraw", submitted.pk), {"withdraw-reason": "Te vroeg."}, follow=True
    )
    submitted.refresh_from_db()
    assert (submitted.status, messages_of(response)) == (
        Status.WITHDRAWN,
        ["Het voorstel is ingetrokken."],
    )


def test_version_withdraw_is_404_for_outsider(client, submitted, outsider):
    client.force_login(outsider)
    response = client.post(url("version_withdraw", submitted.pk), {"withdraw-reason": "x"})
    assert response.status_code == 404
