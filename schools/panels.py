"""Panels that one app adds to another app's page, from one list per page in settings.

The version page of a protocol shows, beside its evaluation date, the incident figures since
it took effect; protocols may not import incidents, so incidents offers the panel and
`settings.PORTAL_VERSION_PANELS` lists it. Each entry is `panel(request, obj) -> str`: the
rendered HTML, or "" when there is nothing to show this user.
"""

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString


def render_panels(setting: str, request, obj) -> list[SafeString]:
    """The non-empty panels listed in `setting`, rendered for `request` and `obj`, in order."""
    rendered = (import_string(path)(request, obj) for path in getattr(settings, setting, []))
    return [html for html in rendered if html]
