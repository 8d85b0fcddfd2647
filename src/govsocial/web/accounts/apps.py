from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "govsocial.web.accounts"
    label = "accounts"
