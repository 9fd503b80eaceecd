import os

from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

if not settings.SECRET_KEY_IS_SET and not settings.DEBUG:
    # Sessions and password-reset links would not survive a restart or a second server.
    raise ImproperlyConfigured("Set SECRET_KEY before serving the portal (or DEBUG=1 locally).")
