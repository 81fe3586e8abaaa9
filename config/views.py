"""The pages of the site as a whole: the home page, which gathers every app's newest content, the error pages
and the icons.

Error pages are rendered without the request context: the page must not fail again on the session or the
user (which would need the database that may be the very thing that failed)."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.csrf import requires_csrf_token

from courses.models import Course
from kb import languages
from kb.models import Article, Topic


def home(request):
    published = Q(articles__status=Article.Status.PUBLISHED, articles__published_at__lte=timezone.now())
    topics = Topic.objects.annotate(article_count=Count("articles", filter=published))
    newest = Article.objects.published().for_listing()[:6]
    courses = Course.objects.published().select_related("topic").with_lesson_counts().with_minutes(languages.current())
    courses = courses[:4]
    return render(request, "home.html", {"topics": topics, "newest": newest, "courses": courses})


# Seconds a client (or a proxy) is asked to wait before trying again while the database is unreachable.
RETRY_AFTER = 30


@requires_csrf_token
def server_error(request):
    """500, or 503 with Retry-After when the database cannot be reached: that is temporary, and the next
    request after it comes back succeeds (connections are opened again on demand)."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return HttpResponseServerError(render_to_string("500.html"))


@requires_csrf_token
def bad_request(request, exception):
    """400 for a request Django refuses (a Host header not in ALLOWED_HOSTS, a body over the size limit).

    Django's own view renders the page with the request, whose context processors ask for the very Host
    header that was refused, and the 400 would become a 500."""
    return HttpResponseBadRequest(render_to_string("400.html"))


ICONS = {"favicon.ico": "image/x-icon", "apple-touch-icon.png": "image/png"}


def icon(request, name):
    """The icons browsers and phones ask for at the site's root, whatever the pages link to."""
    path = settings.BASE_DIR / "static" / "img" / name
    response = FileResponse(path.open("rb"), content_type=ICONS[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response
