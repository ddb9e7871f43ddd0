from django.urls import path

from waypost.accounts import views

app_name = "accounts"
urlpatterns = [
    path("invite/<str:token>/", views.invitation, name="invitation"),
    path("account/", views.account, name="account"),
]
