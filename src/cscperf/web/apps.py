from django.apps import AppConfig


class CscWebConfig(AppConfig):
    name = "cscperf.web"
    label = "cscweb"
    verbose_name = "cscperf"
    default_auto_field = "django.db.models.BigAutoField"
