"""POST data for the desk's admin forms, built in one place (as Wagtail's
`wagtail/test/utils/form_data.py`): a fresh story form, an inline's management
form, one more inline row, and what a browser posts back from a form it was shown.
"""

from django.forms import CheckboxInput, ClearableFileInput, MultiWidget
from django.urls import reverse

CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def inline_formset(prefix, items=(), initial=0, min=0, max=1000):
    """An inline formset's POST: its management form and one row per dict in
    `items` (field name → value)."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(items)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": str(min),
        f"{prefix}-MAX_NUM_FORMS": str(max),
    }
    for index, item in enumerate(items):
        data |= {f"{prefix}-{index}-{name}": value for name, value in item.items()}
    return data


def add_inline(data, prefix, **fields):
    """One more row in an inline formset of an admin form's POST."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{name}": value for name, value in fields.items()})
    return data


def article_form(**overrides):
    """The POST an editor's browser sends from the article form."""
    data = {
        "headline": "Niger's junta asks French troops to leave",
        "slug": "niger-junta-french-troops",
        "dek": "The standoff deepens.",
        "body": "<p>Niamey <script>alert(1)</script>wants the troops out.</p>",
        "tags": "Niger, France, tillabéri",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "lead_image_alt": "",
        "lead_image_caption": "",
        "lead_image_credit": "",
        "sources": "",
        **inline_formset("curated_links"),
        **inline_formset("notes"),
        **inline_formset("related_exclusions"),
    }
    data.update(overrides)
    return data


def topic_form_extras(kind="theme"):
    """The topic admin form's kind and its empty inlines (aliases, facts, events)."""
    data = {"kind": kind}
    for prefix in ["aliases", "facts", "events"]:
        data |= inline_formset(prefix)
    return data


def form_data(response):
    """What a browser would post back from an admin change form, unchanged."""
    data = {}

    def add(bound):
        widget, value = bound.field.widget, bound.value()
        widget = getattr(widget, "widget", widget)  # the admin's related-field wrapper
        if isinstance(widget, ClearableFileInput):
            return
        if isinstance(widget, MultiWidget):
            parts = value if isinstance(value, list) else widget.decompress(value)
            for i, part in enumerate(parts):
                data[f"{bound.html_name}_{i}"] = "" if part is None else str(part)
        elif isinstance(widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        else:
            shown = widget.format_value(value)
            if isinstance(shown, list | tuple):
                shown = [item for item in shown if item]
            data[bound.html_name] = "" if shown is None else shown

    for bound in response.context["adminform"].form:
        add(bound)
    for inline in response.context["inline_admin_formsets"]:
        for bound in inline.formset.management_form:
            add(bound)
        for form in inline.formset.forms:
            for bound in form:
                add(bound)
    return data
