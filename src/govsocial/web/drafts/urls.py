from django.urls import path

app_name = "drafts"
urlpatterns: list = []
