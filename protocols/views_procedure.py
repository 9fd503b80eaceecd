"""Views of the approval procedure: procedure (see protocols/urls.py)."""


def version_context(request, version) -> dict:
    """Extra context for the version page's procedure panel."""
    return {}
