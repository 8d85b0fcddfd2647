from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "govsocial.web.audit"
    label = "audit"
