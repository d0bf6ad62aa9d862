"""The story form's lead-image field: an upload survives a form that comes back.

Browsers cannot refill a file input, so when the story form is re-rendered with an
error (a missing headline, someone else's newer save, a bad curated link) the picture
the editor chose would be gone. Instead the field checks, cleans and stores the
upload as soon as the form is checked (under its content-hashed name),
and the re-rendered form carries a signed token naming those files
(articles/uploads.py). Sending the form again with the token uses the stored files
without a second upload or a second decode; another member's token, a tampered one
or an old one is refused with a plain "choose it again".
"""

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import FileExtensionValidator
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import images
from articles.models import LEAD_IMAGE_EXTENSIONS
from articles.uploads import (
    KEPT_FOR,
    KEPT_LOST,
    KEPT_UNREACHABLE,
    KeptImage,
    make_token,
    read_token,
)

LOST = (
    "The image you chose earlier could not be kept (it is more than "
    f"{int(KEPT_FOR.total_seconds() // 60)} minutes old, or was chosen in another "
    "session). Choose it again."
)
NOT_STORED = (
    "The image could not be stored just now, so the story was not saved. Everything "
    "else you typed is still in the form: choose the image again and save in a "
    "moment."
)


class LeadImageWidget(AdminFileWidget):
    """The admin's file input, plus the image kept from the last submission."""

    def __init__(self, *, owner, storage=default_storage, attrs=None):
        super().__init__(attrs)
        self.owner = owner
        self.storage = storage
        self.submitted = None

    def kept_name(self, name):
        return f"{name}_kept"

    def drop_name(self, name):
        return f"{name}_kept_drop"

    def value_from_datadict(self, data, files, name):
        token = data.get(self.kept_name(name))
        if files.get(name) is None and token and not data.get(self.drop_name(name)):
            if getattr(self, "_read", (None,))[0] != token:
                kept = read_token(token, owner=self.owner, storage=self.storage)
                self._read = (token, kept)
            files = files.copy()
            files[name] = self._read[1]
        self.submitted = super().value_from_datadict(data, files, name)
        return self.submitted

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and not data.get(
            self.kept_name(name)
        )

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        clean = getattr(self.submitted, images.CLEAN_ATTRIBUTE, None)
        if clean is None or clean.stored is None:
            return html
        filename = self.submitted.name.rsplit("/", 1)[-1]
        token = make_token(stored=clean.stored, filename=filename, owner=self.owner)
        kept = format_html(
            '<p class="lead-image-kept"><input type="hidden" name="{}" value="{}">'
            "Your image ‘{}’ is kept and will be saved with the story. "
            '<label><input type="checkbox" name="{}"> Do not use it</label></p>',
            self.kept_name(name),
            token,
            filename,
            self.drop_name(name),
        )
        return mark_safe(html + kept)  # noqa: S308 - both parts are escaped HTML


class LeadImageField(forms.ImageField):
    """Checks an upload in full (articles.images) and stores it at once, so a form
    that comes back can keep it; a kept image is used as it is."""

    def __init__(self, *args, storage=default_storage, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = storage
        # The story's own rule on names, checked before the upload is stored (the
        # model checks it only later, when a kept image could never be saved).
        self.validators.append(FileExtensionValidator(LEAD_IMAGE_EXTENSIONS))

    def to_python(self, data):
        if data is KEPT_LOST:
            raise ValidationError(LOST, code="kept_lost")
        if data is KEPT_UNREACHABLE:
            raise ValidationError(NOT_STORED, code="not_stored")
        if isinstance(data, KeptImage):
            return data
        # The name and emptiness checks; the picture itself is checked below, with
        # clearer messages than forms.ImageField's.
        upload = forms.FileField.to_python(self, data)
        if upload is not None:
            images.clean_upload(upload)
        return upload

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        clean = getattr(value, images.CLEAN_ATTRIBUTE, None)
        if clean is not None and clean.stored is None:
            try:
                images.store_clean_image(clean, storage=self.storage)
            except OSError as exc:
                raise ValidationError(NOT_STORED, code="not_stored") from exc
        return value


class LeadImageAdminMixin:
    """Mixed into ArticleAdmin: its lead-image field keeps an upload across a form
    that comes back with an error, for the desk member who chose it."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "lead_image":
            kwargs["form_class"] = LeadImageField
            kwargs["widget"] = LeadImageWidget(owner=request.user.pk)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
