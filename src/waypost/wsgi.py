"""The WSGI application, behind the trusted-proxy filter (``waypost.proxy``)."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from waypost.proxy import TrustedProxies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypost.settings")
application = TrustedProxies(get_wsgi_application(), settings.TRUSTED_PROXIES)
