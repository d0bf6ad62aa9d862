from django.conf import settings


def site(request):
    """Site name and the canonical address of the page being rendered."""
    base = settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
    canonical = base + request.path
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        canonical += f"?page={int(page)}"
    return {
        "site_name": settings.SITE_NAME,
        "canonical_url": canonical,
        "site_base_url": base,
    }
