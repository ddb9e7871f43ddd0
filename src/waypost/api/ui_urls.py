from django.urls import path

from waypost.api import views

urlpatterns = [
    path("account/tokens/", views.tokens, name="api_tokens"),
]
