"""Views of the approval procedure: council (see protocols/urls.py)."""


def version_context(request, version) -> dict:
    """Extra context for the version page's council panel."""
    return {}
