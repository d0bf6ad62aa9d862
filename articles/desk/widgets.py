"""Autocomplete pickers (stories, topics, bylines) that survive a crafted value.

Django's autocomplete widgets look the posted ids up again to re-draw a form that
has errors; an id the key cannot read ("abc") makes that lookup raise, and the
editor gets a 500 instead of "Select a valid choice". These widgets leave such
values out of the lookup (the field has already refused them), as
django-autocomplete-light does.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class ReadableValuesOnly:
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(
            getattr(remote, "field_name", None) or remote.model._meta.pk.name
        )
        readable = []
        for item in value:
            try:
                key.to_python(item)
            except ValidationError:
                continue
            readable.append(item)
        return super().optgroups(name, readable, attr)


class ReadableAutocompleteSelect(ReadableValuesOnly, AutocompleteSelect):
    pass


class ReadableAutocompleteSelectMultiple(
    ReadableValuesOnly, AutocompleteSelectMultiple
):
    pass


class ReadablePickersMixin:
    """For a ModelAdmin or inline: its autocomplete fields use the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = ReadableAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = ReadableAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
