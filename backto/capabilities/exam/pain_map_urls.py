"""Routes of the exam's pain_map part."""

urlpatterns: list = []
