"""Printable consent lists, rendered by WeasyPrint without network access (always in Dutch).

The photographer's list for a group, and the inzage of one person's consent history.
"""

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from protocols.rendering import refuse_network


def render_pdf(template: str, context: dict) -> bytes:
    """`template` rendered in the portal's language as a PDF."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=refuse_network).write_pdf()
