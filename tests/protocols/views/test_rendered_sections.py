"""A version page renders its section texts once; an edit shows at once."""

import pytest

from protocols import rendering
from tests.protocols.views.helpers import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def markdown_calls(monkeypatch):
    """Count how often section texts are turned into HTML, starting from an empty memory."""
    rendering._render.cache_clear()
    calls = []
    real = rendering._markdown.render

    def counting(source, env=None):
        calls.append(source)
        return real(source, env)

    monkeypatch.setattr(rendering._markdown, "render", counting)
    yield calls
    rendering._render.cache_clear()


def test_the_second_view_of_a_version_renders_no_section_again(
    client, adopted, director, markdown_calls
):
    client.force_login(director)
    first = client.get(url("version_detail", adopted.pk)).content.decode()
    rendered = len(markdown_calls)
    again = client.get(url("version_detail", adopted.pk)).content.decode()
    assert (rendered, len(markdown_calls)) == (1, 1)
    assert "<p>Oude tekst.</p>" in first
    assert "<p>Oude tekst.</p>" in again


def test_an_edited_section_shows_its_new_text_at_once(client, draft, director, markdown_calls):
    client.force_login(director)
    section = draft.sections.first()
    section.body = "Eerste *tekst*."
    section.save()
    before = client.get(url("version_detail", draft.pk)).content.decode()
    section.body = "Tweede *tekst*."
    section.save()
    after = client.get(url("version_detail", draft.pk)).content.decode()
    first, second = "Eerste <em>tekst</em>.", "Tweede <em>tekst</em>."
    assert (first in before, second in after, first in after) == (
        True,
        True,
        False,
    )
