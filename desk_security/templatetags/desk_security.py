from django import template
from js_asset import Media

register = template.Library()


@register.simple_tag(takes_context=True)
def media_with_nonce(context, media):
    """Render form media with this request's CSP nonce on every tag, so the rich-text
    editor's inline import map runs under the admin's policy (Django 5.2's admin
    cannot pass a nonce itself; 6.0 does)."""
    nonce = getattr(context.get("request"), "csp_nonce", "")
    return Media.from_media(media, nonce=nonce).render()
