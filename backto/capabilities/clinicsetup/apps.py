from django.apps import AppConfig


class ClinicSetupConfig(AppConfig):
    name = "backto.capabilities.clinicsetup"
    label = "clinicsetup"
    verbose_name = "Clinic setup"
