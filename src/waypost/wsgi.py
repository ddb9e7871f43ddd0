"""The WSGI application, behind the trusted-proxy filter (``waypost.proxy``)."""

import gc
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from waypost.proxy import TrustedProxies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypost.settings")
application = TrustedProxies(get_wsgi_application(), settings.TRUSTED_PROXIES)
# Everything loaded at start-up (Django, the apps, the instrument catalogue) lives as long
# as the process: out of the collector's sight, full collections stop walking it, which
# took ~100 ms pauses out of one request in seven on a large caseload (benchmarks/caseload.py).
gc.freeze()
