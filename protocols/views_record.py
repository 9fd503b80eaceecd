"""Views of the approval procedure: record (see protocols/urls.py)."""


def version_context(request, version) -> dict:
    """Extra context for the version page's record panel."""
    return {}
