from django.utils.functional import SimpleLazyObject

from schools import access


def access_context(request):
    """Expose the user's reach to templates lazily: pages that don't show it pay nothing."""
    return {"reach": SimpleLazyObject(lambda: access.reach(request.user))}
