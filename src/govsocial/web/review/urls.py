from django.urls import path

from govsocial.web.review import views

app_name = "review"
urlpatterns = [
    path("", views.check_view, name="check"),
    path("partial/", views.check_partial_view, name="check-partial"),
]
