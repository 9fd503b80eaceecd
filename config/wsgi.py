import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

if not settings.SECRET_KEY_IS_SET and not settings.DEBUG:
    # Sessions and password-reset links would not survive a restart or a second server.
    raise ImproperlyConfigured("Set SECRET_KEY before serving the portal (or DEBUG=1 locally).")
