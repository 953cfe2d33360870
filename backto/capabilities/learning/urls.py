from django.urls import path

from backto.capabilities.learning import admin_views, views

urlpatterns = [
    path("learn/", views.learning_index, name="learning_index"),
    path("learn/explainer/", views.explainer, name="explainer"),
    path("learn/<str:audience>/<slug:slug>/", views.learning_page, name="learning_page"),
    path("patients/<int:patient_id>/learning/", views.suggestions, name="learning_suggestions"),
    path(
        "learning/suggestions/<int:assignment_id>/withdraw/",
        views.suggestion_withdraw,
        name="learning_suggestion_withdraw",
    ),
    path(
        "learning/suggestions/<int:assignment_id>/read/",
        views.suggestion_read,
        name="learning_suggestion_read",
    ),
    path("manage/learning/", admin_views.learning_admin, name="learning_admin"),
    path("manage/learning/new/", admin_views.learning_page_new, name="learning_page_new"),
    path(
        "manage/learning/new/preview/",
        admin_views.learning_page_new_preview,
        name="learning_page_new_preview",
    ),
    path(
        "manage/learning/<str:audience>/<slug:slug>/",
        admin_views.learning_page_edit,
        name="learning_page_edit",
    ),
    path(
        "manage/learning/<str:audience>/<slug:slug>/preview/",
        admin_views.learning_page_preview,
        name="learning_page_preview",
    ),
    path(
        "manage/learning/<str:audience>/<slug:slug>/restore/",
        admin_views.learning_page_restore,
        name="learning_page_restore",
    ),
    path(
        "manage/learning/<str:audience>/<slug:slug>/visibility/",
        admin_views.learning_page_visibility,
        name="learning_page_visibility",
    ),
]
