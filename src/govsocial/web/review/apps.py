from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "govsocial.web.review"
    label = "review"
