from django.urls import URLPattern, URLResolver

app_name = "session_notes"
urlpatterns: list[URLPattern | URLResolver] = []
