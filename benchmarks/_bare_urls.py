"""Waypost's URLs plus one bare page, for benchmarks/checkin.py's server only.

The bare view returns a constant page; it goes through the same middleware as every
page (sessions, the signed-in user, security headers, time zone), so the difference
between it and a real page is the page's own work.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

PAGE = b"<!doctype html><title>Bare</title><p>A constant page.</p>"


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE)


urlpatterns = [path("bench/bare/", bare), path("", include("waypost.urls"))]
