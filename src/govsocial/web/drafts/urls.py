from django.urls import path
from django.views.generic import RedirectView

from govsocial.web.drafts import views

app_name = "drafts"
urlpatterns = [
    # The start page of the workspace is the drafts list.
    path("", RedirectView.as_view(pattern_name="drafts:list", permanent=False), name="start"),
    path("drafts/", views.draft_list_view, name="list"),
    path("drafts/new/", views.draft_create_view, name="create"),
    path("drafts/<int:pk>/", views.draft_detail_view, name="detail"),
    path("drafts/<int:pk>/edit/", views.draft_edit_view, name="edit"),
    path("drafts/<int:pk>/submit/", views.draft_submit_view, name="submit"),
    path("drafts/<int:pk>/approve/", views.draft_approve_view, name="approve"),
    path("drafts/<int:pk>/return/", views.draft_return_view, name="return"),
    path("drafts/<int:pk>/publish/", views.draft_publish_view, name="publish"),
    path("drafts/<int:pk>/withdraw/", views.draft_withdraw_view, name="withdraw"),
    path("approvals/", views.approvals_view, name="approvals"),
]
