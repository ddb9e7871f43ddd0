"""The interactive API docs, served entirely from our own static files.

Ninja's Swagger page already avoids inline scripts; ours also turns off
Swagger UI's online validator badge (an image from validator.swagger.io)
and uses our own template so nothing can come from a CDN.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger, _csrf_needed

if TYPE_CHECKING:
    from ninja import NinjaAPI


class LocalSwagger(Swagger):
    template = "api/swagger.html"
    default_settings = {
        "layout": "BaseLayout",
        # Deep links put a link inside each operation's toggle button: nested
        # controls that screen readers and axe rightly reject.
        "deepLinking": False,
        # Swagger UI would otherwise load a badge from validator.swagger.io.
        "validatorUrl": None,
        "tryItOutEnabled": False,
        "displayRequestDuration": True,
    }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            # </script> inside the JSON block could end it early; escape "<" as in json_script.
            "swagger_settings": json.dumps(settings).replace("<", "\\u003c"),
            "api": api,
            "add_csrf": _csrf_needed(api),
        }
        return render(request, self.template, context)
