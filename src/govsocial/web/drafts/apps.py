from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "govsocial.web.drafts"
    label = "drafts"
