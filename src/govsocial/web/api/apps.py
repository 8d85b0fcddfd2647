from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "govsocial.web.api"
    label = "api"
