"""Security headers on every answer: a Content-Security-Policy per part of the
site, and a Permissions-Policy that turns off the browser features we never use.

Both middleware sit outside the page cache (first in MIDDLEWARE), so a cached hit
gets exactly the headers a freshly rendered page gets, from the code running now,
and static files and redirects get them too.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy picked by the address.

    `CONTENT_SECURITY_POLICY` is the public site's (strict: it runs no script);
    `CONTENT_SECURITY_POLICY_BY_PATH` maps a path prefix (the admin, the API docs)
    to the directives that part of the site needs, and XML answers (feeds,
    sitemaps) get `CONTENT_SECURITY_POLICY_XML`. A view's own `@csp_override`
    still wins.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        directives = policy_for(request.path_info, response.get("Content-Type", ""))
        if directives is not None:
            parts.config = directives
        return parts


def policy_for(path, content_type):
    """The directives for an answer at `path`, or None for the public default."""
    for prefix, directives in settings.CONTENT_SECURITY_POLICY_BY_PATH.items():
        if path.startswith(prefix):
            return directives
    media_type = content_type.split(";")[0].strip().lower()
    if media_type.endswith(("/xml", "+xml")):
        return settings.CONTENT_SECURITY_POLICY_XML
    return None


class PermissionsPolicyMiddleware:
    """`Permissions-Policy`: every feature in `PERMISSIONS_POLICY` is off (or
    limited to the origins given) for the page and anything it embeds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", permissions_policy())
        return response


def permissions_policy():
    return ", ".join(
        f"{feature}=({' '.join(origins)})"
        for feature, origins in settings.PERMISSIONS_POLICY.items()
    )
