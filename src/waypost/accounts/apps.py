from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "waypost.accounts"
    label = "accounts"

    def ready(self) -> None:
        from waypost.accounts import exports

        exports.register()
