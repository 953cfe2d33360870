from django.urls import path

from backto.core import design_views

urlpatterns = [
    path("design/", design_views.design_system, name="design_system"),
]
