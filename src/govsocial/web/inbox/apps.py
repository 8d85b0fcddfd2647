from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "govsocial.web.inbox"
    label = "inbox"
    verbose_name = "Engagement inbox"
    default_auto_field = "django.db.models.BigAutoField"
