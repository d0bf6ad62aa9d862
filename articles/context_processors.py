from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import DisallowedHost


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
    }
