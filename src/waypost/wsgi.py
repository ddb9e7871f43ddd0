"""The WSGI application, behind the trusted-proxy filter (``waypost.proxy``)."""

import gc
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.urls import reverse
from django.utils import translation

from waypost.proxy import TrustedProxies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypost.settings")
application = TrustedProxies(get_wsgi_application(), settings.TRUSTED_PROXIES)
# Everything loaded at start-up lives as long as the process: Django, the apps, the
# instrument catalogue, and (loaded here rather than by the first request) the URLconf
# with every view module it imports, some 69,000 objects, the translation catalogues
# and the template engines.
# Frozen, out of the collector's sight, full collections stop walking them: unfrozen,
# each took ~110 ms, and on a large caseload one came every thirty requests or so
# (benchmarks/caseload.py); frozen, ~2 ms.
reverse("healthz")  # imports every view module and builds the resolver's tables
with translation.override(settings.LANGUAGE_CODE):
    translation.gettext("Waypost")  # the catalogues
for engine in engines.all():
    if isinstance(engine, DjangoTemplates):
        engine.engine.template_loaders  # noqa: B018 — the loaders and their cache
gc.collect()
gc.freeze()
