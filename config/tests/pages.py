"""Every kind of page the site shows, for the tests that check them all: axe-core (test_accessibility), the
W3C HTML checker (test_html_validity) and share previews (test_pages_for_machines). Paths are without the
language prefix and need the starting content (the ``starting_content`` fixture)."""

from django.contrib.auth.models import Permission
from django.utils import timezone

ANONYMOUS = [
    "/",
    "/articles/",
    "/topics/containers/",
    "/tags/docker/",
    "/articles/container-stack/",
    "/articles/container-stack/side-by-side/",
    "/glossary/",
    "/glossary/c/",
    "/search/?q=docker",
    "/search/?q=qqqqzzzz",
    "/courses/",
    "/courses/operating-kubernetes/",
    "/courses/operating-kubernetes/lessons/know-the-building-blocks/",
    "/courses/operating-kubernetes/lessons/know-the-building-blocks/side-by-side/",
    "/quizzes/container-stack/",
    "/accounts/login/",
    "/accounts/signup/",
    "/no-such-page/",
]
# Pages only a signed-in learner sees, or sees differently; the {names} are made by ``learner_paths``.
LEARNER = [
    "/",
    "/courses/operating-kubernetes/",
    "/dashboard/",
    "/review/",
    "/accounts/profile/",
    "{attempt_form}",
    "{attempt_review}",
    "{certificate}",
]
INSTRUCTOR = ["/authoring/translations/", "/authoring/analytics/"]


def _without_language(url):
    return "/" + url.split("/", 2)[2]


def learner_paths(client, user):
    """LEARNER's paths for ``user``, signed in on ``client``: a quiz attempt in progress, a submitted one
    (wrong answers, so the review has questions due) and a certificate of a completed course."""
    from courses import services
    from courses.models import Course, Enrollment
    from quizzes.models import Quiz
    from quizzes.tests.factories import wrong_answers

    submitted = Quiz.objects.get(slug="container-stack")
    client.post(f"/en/quizzes/{submitted.slug}/start/")
    attempt = submitted.attempts.get(user=user)
    client.post(attempt.get_absolute_url(), {**wrong_answers(attempt), "action": "submit"})
    in_progress = Quiz.objects.get(slug="kubernetes-building-blocks")
    client.post(f"/en/quizzes/{in_progress.slug}/start/")
    open_attempt = in_progress.attempts.get(user=user)
    course = Course.objects.get(slug="operating-kubernetes")
    Enrollment.objects.update_or_create(user=user, course=course, defaults={"completed_at": timezone.now()})
    certificate = services.certificate_reissue(user=user, course=course)
    names = {
        "{attempt_form}": _without_language(open_attempt.get_absolute_url()),
        "{attempt_review}": _without_language(attempt.get_absolute_url()),
        "{certificate}": _without_language(certificate.get_absolute_url()),
    }
    return [names.get(path, path) for path in LEARNER]


def make_author(django_user_model):
    """An author by permission: browser tests empty the database after each test, data migrations (and so
    the Instructors group) included."""
    instructor = django_user_model.objects.create_user("teacher", password="x", is_staff=True)
    instructor.user_permissions.add(Permission.objects.get(codename="author_content"))
    return instructor
