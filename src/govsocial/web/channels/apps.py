from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "govsocial.web.channels"
    label = "channels"
