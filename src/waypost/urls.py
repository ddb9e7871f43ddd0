"""Every URL of Waypost. New URLs must also join tests/core/test_roles.py."""

from django.urls import include, path

from waypost.accounts import views as account_views
from waypost.api.urls import api_urls
from waypost.core import views as core_views
from waypost.core import webapp
from waypost.safety import views as safety_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("help/", safety_views.get_help, name="help"),
    # The installable app: the worker must sit at the root to look after every page.
    path("sw.js", webapp.service_worker, name="service_worker"),
    path("manifest.webmanifest", webapp.manifest, name="manifest"),
    path("offline/", webapp.offline_page, name="offline"),
    path("", include("waypost.accounts.urls")),
    path("", include("waypost.program.urls")),
    path("", include("waypost.caseload.urls")),
    path("", include("waypost.clinics.urls")),
    path("", include("waypost.connect.urls")),
    path("", include("waypost.api.ui_urls")),
    path("", include("waypost.assessments.urls")),
    path("", include("waypost.safety.urls")),
    path("", include("waypost.learn.urls")),
    path("", include("waypost.motivation.urls")),
    path("", include("waypost.intake.urls")),
    path("", include("waypost.recovery.urls")),
    path("", include("waypost.shield.urls")),
    path("", include("waypost.connect.meetings.urls")),
    path("", include("waypost.connect.groups.urls")),
    path("", include("waypost.connect.alerts.urls")),
    path("", include("waypost.recovery.warnings.urls")),
    path("", include("waypost.flourish.urls")),
    path("", include("waypost.caseload.messages.urls")),
    path("", include("waypost.caseload.appointments.urls")),
    path("", include("waypost.caseload.notes.urls")),
    path("", include("waypost.caseload.reports.urls")),
    path("", include("waypost.caseload.outcomes.urls")),
    path("", include("waypost.notifications.urls")),
    path("api/v1/", api_urls),
    # Signing out is allauth's, plus wiping what this browser kept (accounts.views.sign_out);
    # listed before allauth's own "logout/" so this one answers.
    path("logout/", account_views.sign_out, name="account_logout"),
    # allauth: /login/, /logout/, /password/reset/ …, /2fa/ …
    path("", include("allauth.urls")),
]

handler400 = "waypost.core.views.bad_request"
handler403 = "waypost.core.views.permission_denied"
handler404 = "waypost.core.views.page_not_found"
handler500 = "waypost.core.views.server_error"
