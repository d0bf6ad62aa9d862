from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_development_key():
    """Stop a production server from starting with the key that ships in the repo."""
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY to a long random value: production refuses to start "
            "with the development key (or set DJANGO_DEBUG=1 for local development)."
        )
