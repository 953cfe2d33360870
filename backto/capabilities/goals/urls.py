from django.urls import path

from backto.capabilities.goals import views

urlpatterns = [
    path("episodes/<int:episode_id>/goals/", views.goal_list, name="goal_list"),
    path("goals/<int:goal_id>/", views.goal_detail, name="goal_detail"),
    path("goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/steps/", views.goal_step_add, name="goal_step_add"),
    path("goals/<int:goal_id>/steps/<int:step_id>/", views.goal_step_mark, name="goal_step_mark"),
]
