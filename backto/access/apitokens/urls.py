from django.urls import path

from backto.access.apitokens import views

urlpatterns = [
    path("account/api-tokens/", views.token_list, name="api_tokens"),
    path(
        "account/api-tokens/<int:token_id>/revoke/",
        views.token_revoke_view,
        name="api_token_revoke",
    ),
]
