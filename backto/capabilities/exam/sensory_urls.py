"""Routes of the exam's sensory part."""

urlpatterns: list = []
