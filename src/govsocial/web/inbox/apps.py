from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "govsocial.web.inbox"
    label = "inbox"
    verbose_name = "Engagement inbox"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Replies to inbox messages are drafts: when one is published, the inbox sends it through
        # the message's connector and marks the message answered (the drafts app does not know the inbox).
        from govsocial.web.drafts.adapters import register_publish_handler
        from govsocial.web.inbox.services import InboxReplies

        register_publish_handler("inbox", InboxReplies())
