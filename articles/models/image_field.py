"""The lead image's model field: Django's ImageField, minus a download per save."""

from django.db import models


class StoredImageField(models.ImageField):
    """An ImageField that trusts the sizes recorded when the picture was stored.

    Django reads a picture again to measure it whenever the field is assigned,
    even the same stored file (a form saving a story's text assigns it): from a
    bucket that is a download on every save, and a failed save while the object
    store is down. The sizes are recorded when the upload is stored
    (articles.images.prepare_lead_image), so a stored file with both sizes set
    is not read again.
    """

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        loaded = instance.__dict__  # never load a deferred field from here
        if (
            force
            and self.attname in loaded
            and loaded.get(self.width_field)
            and loaded.get(self.height_field)
        ):
            file = getattr(instance, self.attname)
            if file and getattr(file, "_committed", False):
                force = False
        super().update_dimension_fields(instance, force, *args, **kwargs)

    def deconstruct(self):
        # The same column and the same migrations as Django's ImageField.
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs
