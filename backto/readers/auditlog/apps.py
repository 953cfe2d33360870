from django.apps import AppConfig


class AuditLogConfig(AppConfig):
    name = "backto.readers.auditlog"
    label = "auditlog"
    verbose_name = "Audit log page"
