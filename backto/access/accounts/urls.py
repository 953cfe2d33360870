from django.contrib.auth import views as auth_views
from django.urls import include, path

from backto.access.accounts import passkeys, views
from backto.access.accounts import two_factor_views as two_step
from backto.access.accounts.account_views import (
    my_account,
    my_account_details,
    my_account_email,
    my_account_password,
    password_reset,
    password_reset_complete,
    password_reset_confirm,
    password_reset_done,
)
from backto.access.accounts.middleware import two_factor_exempt

urlpatterns = [
    path("accounts/login/", views.sign_in, name="login"),
    path("accounts/logout/", two_factor_exempt(auth_views.LogoutView.as_view()), name="logout"),
    path("accounts/two-step/", two_step.two_factor_verify, name="two_factor_verify"),
    path("accounts/confirm/", two_step.sudo_confirm, name="sudo_confirm"),
    path("accounts/passkeys/", include(passkeys, namespace="otp_webauthn")),
    path("account/two-step/", two_step.two_factor_setup, name="two_factor_setup"),
    path("account/two-step/app/", two_step.two_factor_app, name="two_factor_app"),
    path(
        "account/two-step/recovery-codes/",
        two_step.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("account/two-step/remove/", two_step.two_factor_device_remove, name="two_factor_remove"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("manage/clinic/", views.clinic_settings, name="clinic_settings"),
    path("manage/staff/", views.staff_list, name="staff_list"),
    path("manage/staff/<int:user_id>/", views.staff_detail, name="staff_detail"),
    path(
        "manage/staff/<int:user_id>/two-step/reset/",
        two_step.staff_two_factor_reset,
        name="staff_two_factor_reset",
    ),
    path(
        "manage/accounts/<int:user_id>/active/", views.account_set_active, name="account_set_active"
    ),
    path("manage/families/", views.family_list, name="family_list"),
    path("manage/invitations/", views.invitation_list, name="invitation_list"),
    path(
        "manage/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "manage/invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path("manage/families/link/", views.family_guardian_link, name="family_guardian_link"),
    path("account/", my_account, name="my_account"),
    path("account/details/", my_account_details, name="my_account_details"),
    path("account/email/", my_account_email, name="my_account_email"),
    path("account/password/", my_account_password, name="my_account_password"),
    path("accounts/password-reset/", password_reset, name="password_reset"),
    path("accounts/password-reset/sent/", password_reset_done, name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", password_reset_confirm, name="password_reset_confirm"),
    path("accounts/reset/done/", password_reset_complete, name="password_reset_complete"),
]
