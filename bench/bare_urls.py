"""The site's URLs plus ``/bench/bare/``: ``HttpResponse("ok")`` behind the same middleware, the least a page
can cost on this stack. bench/pages.py compares every page with it."""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler400, handler500  # noqa: F401 (error views)
from config.urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
