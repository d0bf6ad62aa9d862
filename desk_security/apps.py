from django.apps import AppConfig


class DeskSecurityConfig(AppConfig):
    name = "desk_security"
    verbose_name = "Desk security"
