"""The benchmark's reference: a minimal Django view rendering a small template.

Mounted at /bench/reference/ only when NEWSROOM_BENCH_REFERENCE is set (the harness
sets it for its own gunicorn), it runs through the same server, settings and
middleware as our pages, context processors included, and is the ceiling any of
them can reach. The page cache leaves /bench/ alone, so it is never a cache hit.
"""

from django.http import HttpResponse
from django.template import engines

TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
    "<title>{{ title }}</title></head><body><h1>{{ title }}</h1>"
    "<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul></body></html>"
)


def reference(request):
    context = {"title": "Reference", "items": ["Mali", "Burkina Faso", "Niger"]}
    return HttpResponse(TEMPLATE.render(context, request))
