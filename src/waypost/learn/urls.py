from django.urls import path

from waypost.learn import views

app_name = "learn"
urlpatterns = [
    path("learn/", views.library_page, name="library"),
    path("learn/<slug:slug>/", views.module_page, name="module"),
    path("learn/<slug:slug>/read/", views.mark_read, name="mark_read"),
    path("learn/<slug:slug>/note/", views.save_note, name="note"),
    path("clients/<int:enrollment_id>/learn/assign/", views.assign, name="assign"),
    path(
        "clients/<int:enrollment_id>/learn/assignments/<int:assignment_id>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
]
