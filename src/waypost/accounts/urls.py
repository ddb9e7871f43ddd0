from django.urls import path

from waypost.accounts import views

app_name = "accounts"
urlpatterns = [
    path("invite/<str:token>/", views.invitation, name="invitation"),
    path("account/", views.account, name="account"),
    path("account/notifications/", views.notifications, name="notifications"),
    path("account/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("account/data/", views.data, name="data"),
    path("account/data/waypost-data.zip", views.download, name="download"),
]
