from django.urls import path

from govsocial.web.channels import views

app_name = "channels"
urlpatterns = [
    path("", views.channel_list_view, name="list"),
    path("new/", views.channel_create_view, name="create"),
    path("<int:pk>/", views.channel_detail_view, name="detail"),
    path("<int:pk>/edit/", views.channel_edit_view, name="edit"),
]
