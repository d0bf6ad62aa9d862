from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.templatetags.static import static

# The site's own pictures (drawn by articles/brand.py).
SHARE_IMAGE = "img/share.png"
LOGO = "img/logo.png"
LOGO_SIZE = 512


def base_url(request):
    """The site's absolute address: DJANGO_SITE_URL, or the request's host."""
    if settings.SITE_URL:
        return settings.SITE_URL
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 page for a bad Host header must still render
        host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost"
    return f"{request.scheme}://{host}"


def absolute_url(request, url):
    """`url` made absolute against the site's address (already absolute: kept)."""
    return urljoin(base_url(request) + "/", url)


def site(request):
    """Site name and the canonical address of the page being rendered."""
    base = base_url(request)
    canonical = base + request.path
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        canonical += f"?page={int(page)}"
    return {
        "site_name": settings.SITE_NAME,
        "canonical_url": canonical,
        "site_base_url": base,
        # Every page has a picture for link previews; a story's own lead image
        # replaces it (article_detail.html).
        "default_share_image": absolute_url(request, static(SHARE_IMAGE)),
    }
