from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "backto.demo"
    label = "demo"
    verbose_name = "Demo clinic"
