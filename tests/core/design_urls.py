"""The project's URLs with the design page mounted, whether or not backto/urls.py includes
backto.core.urls yet: the design page's tests go through the middleware as a browser does."""

from django.urls import include, path

urlpatterns = [
    path("", include("backto.core.urls")),
    path("", include("backto.urls")),
]
