"""The desk's admin site, refusing an object id no object can have.

Every admin address that names an object (`<id>/change/`, `history/`, `delete/`
and the story's history pages) holds the id as text. One the model's primary key
cannot read ("abc", "1.5") answers 404 here, after the login check and before any
admin view, so no view has to survive it.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404

from desk_security.sites import DeskAdminSite


def refuse_malformed_ids(view, pk_field):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if "object_id" in kwargs:
            try:
                pk_field.to_python(unquote(kwargs["object_id"]))
            except ValidationError:
                raise Http404("No object has that id.") from None
        return view(request, *args, **kwargs)

    return guarded


class NewsroomAdminSite(DeskAdminSite):
    """The desk's site (throttled login, two-factor codes), guarding object ids."""

    def admin_view(self, view, cacheable=False):
        model_admin = getattr(view, "__self__", None)
        if isinstance(model_admin, admin.ModelAdmin):
            view = refuse_malformed_ids(view, model_admin.opts.pk)
        return super().admin_view(view, cacheable)
