from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "waypost.api"
    label = "api"

    def ready(self) -> None:
        from waypost.api.errors import django_error
        from waypost.core.views import register_error_responder

        register_error_responder("/api/", django_error)
