from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "waypost.accounts"
    label = "accounts"
