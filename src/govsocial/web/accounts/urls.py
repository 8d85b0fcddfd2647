from django.urls import path

from govsocial.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile_view, name="profile"),
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code_view, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_view, name="password"),
    path("two-factor/", views.two_factor_view, name="two_factor"),
    path("two-factor/turn-off/", views.two_factor_disable_view, name="two_factor_disable"),
    path("tokens/", views.tokens_view, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("users/", views.users_view, name="users"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/<int:pk>/", views.user_edit_view, name="user_edit"),
    path("users/<int:pk>/deactivate/", views.user_active_view, {"action": "deactivate"}, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views.user_active_view, {"action": "reactivate"}, name="user_reactivate"),
    path(
        "users/<int:pk>/reset-two-factor/",
        views.user_active_view,
        {"action": "reset-two-factor"},
        name="user_reset_two_factor",
    ),
]
