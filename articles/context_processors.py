from urllib.parse import urljoin

from django.conf import settings


def base_url(request):
    """The site's absolute address: DJANGO_SITE_URL, or the request's host."""
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


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
