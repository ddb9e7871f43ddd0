from django.urls import path

from waypost.intake import record_views, views

app_name = "intake"
urlpatterns = [
    # the client's history intake: one topic per screen, then a review
    path("intake/", views.intake_overview, name="overview"),
    path("intake/<int:number>/", views.intake_topic, name="topic"),
    path("intake/review/", views.intake_review, name="review"),
    # the client's story
    path("story/", views.story_overview, name="story"),
    path("story/<int:number>/", views.story_part, name="story_part"),
    path("story/share/", views.story_share, name="story_share"),
    # on the clinician's client record
    path("clients/<int:enrollment_id>/intake/", record_views.record_intake, name="record_intake"),
    path(
        "clients/<int:enrollment_id>/intake/<int:number>/",
        record_views.record_topic,
        name="record_topic",
    ),
    path(
        "clients/<int:enrollment_id>/intake/complete/",
        record_views.record_complete,
        name="record_complete",
    ),
    path("clients/<int:enrollment_id>/story/", record_views.record_story, name="record_story"),
]
