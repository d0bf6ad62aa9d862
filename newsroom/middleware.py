"""Requests no view should see."""

from urllib.parse import unquote

from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.urls import reverse
from django.views.defaults import bad_request

NUL = "\x00"
NUL_MESSAGE = "The request holds a NUL character."


def holds_nul(request):
    """Whether the path, the query string (decoded) or a cookie holds a NUL."""
    if NUL in request.path or NUL in unquote(request.META.get("QUERY_STRING", "")):
        return True
    return any(NUL in name or NUL in value for name, value in request.COOKIES.items())


class RejectNulMiddleware:
    """Answer 400 to a NUL character anywhere in the address or the cookies.

    No address, parameter or cookie of ours has a use for one, PostgreSQL refuses
    NUL in text (every lookup it reached would be a 500), and no browser sends one
    unless a crafted link asks it to. One rule here, before the page cache and any
    view, instead of a cleaner in every view that reads a slug, a page number or a
    session key. The API answers in its own JSON error format.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.api_root = None

    def __call__(self, request):
        if not holds_nul(request):
            return self.get_response(request)
        if self.api_root is None:
            self.api_root = reverse("api:api-root")
        if request.path.startswith(self.api_root):
            return JsonResponse({"detail": NUL_MESSAGE}, status=400)
        return bad_request(request, BadRequest(NUL_MESSAGE))
