"""The inbox's routes. Included at the site root (like the drafts app) because the published
community guidelines live outside ``/inbox/``: they are public, at ``/guidelines/<agency>/``."""

from django.urls import path

from govsocial.web.inbox import views, webhook

app_name = "inbox"
urlpatterns = [
    path("inbox/", views.message_list_view, name="list"),
    path("inbox/bulk/", views.bulk_view, name="bulk"),
    path("inbox/<int:pk>/", views.message_detail_view, name="detail"),
    path("inbox/<int:pk>/assign/", views.assign_view, name="assign"),
    path("inbox/<int:pk>/moderate/", views.moderate_view, name="moderate"),
    path("inbox/<int:pk>/strike/", views.strike_view, name="strike"),
    path("inbox/<int:pk>/block/", views.block_view, name="block"),
    path("inbox/<int:pk>/unblock/", views.unblock_view, name="unblock"),
    path("inbox/<int:pk>/close/", views.close_view, name="close"),
    path("inbox/<int:pk>/reply/", views.reply_view, name="reply"),
    path("inbox/templates/", views.template_list_view, name="templates"),
    path("inbox/templates/new/", views.template_new_view, name="template_new"),
    path("inbox/templates/<int:pk>/edit/", views.template_edit_view, name="template_edit"),
    path("inbox/templates/<int:pk>/approve/", views.template_approve_view, name="template_approve"),
    path("inbox/settings/", views.settings_view, name="settings"),
    path("inbox/channels/<int:pk>/connectors/new/", views.connector_new_view, name="connector_new"),
    path("inbox/connectors/<int:pk>/edit/", views.connector_edit_view, name="connector_edit"),
    path("inbox/connectors/<int:pk>/poll/", views.connector_poll_view, name="connector_poll"),
    path("inbox/hooks/<int:connector_id>/", webhook.receive, name="webhook"),
    path("guidelines/<slug:agency_slug>/", views.guidelines_view, name="guidelines"),
]
