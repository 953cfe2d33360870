from django.apps import AppConfig


class MedicinesConfig(AppConfig):
    name = "backto.capabilities.medicines"
    label = "medicines"
    default_auto_field = "django.db.models.BigAutoField"
