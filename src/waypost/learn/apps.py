from django.apps import AppConfig


class LearnConfig(AppConfig):
    name = "waypost.learn"
    label = "learn"
